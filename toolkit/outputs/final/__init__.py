"""The final list (拟表彰名单, docs/review-cycle.md): once the review has decided, the
proposed units and nominees per award (:mod:`.listing`), written as
``final/拟表彰名单.docx`` and ``.xlsx`` (:mod:`.documents`) and the publicity draft
``final/公示稿.docx`` (:mod:`.publicity`) by :func:`.write.write_final`."""
