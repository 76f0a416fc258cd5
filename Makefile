# Hunan Open University training-award toolkit.  `make help` lists the targets.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
YEAR   ?= 2022
PREV   := $(shell echo $$(($(YEAR) - 1)))
STAMP  := $(VENV)/.installed
KERNEL := $(VENV)/share/jupyter/kernels/toolkit/kernel.json

.PHONY: help setup system demo data run validate forms test test-fast lint format lab bench bench-years bench-parsers clean clean-reports demo-years messages

help: ## list the targets
	@awk 'BEGIN {FS = ":.*## "} /^[a-zA-Z_-]+:.*## / {printf "  %-14s %s\n", $$1, $$2}' $(MAKEFILE_LIST)
	@echo "  variables: YEAR=$(YEAR) (make run YEAR=2023), PYTHON=$(PYTHON)"

setup: $(STAMP) $(KERNEL) system ## create .venv, install the toolkit (editable), its kernel and the CJK font

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
	  { echo "Python 3.11 or newer is needed (found $$($(PYTHON) --version)); set PYTHON=python3.11"; exit 2; }
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -qq --upgrade pip
	$(BIN)/python -m pip install -qq -e '.[dev,lab,spark]'
	@touch $(STAMP)

$(KERNEL): $(STAMP)
	$(BIN)/python -m ipykernel install --sys-prefix --name toolkit --display-name "toolkit (.venv)" >/dev/null
	@echo "kernel 'toolkit' -> $(BIN)/python"

system: ## check (and on Debian as root, install) the CJK font and PDF libraries
	@bash scripts/system-deps.sh

data: $(STAMP) ## generate the demo data for YEAR and the year before, if absent
	@test -d data/$(PREV) || $(BIN)/toolkit demo-data --year $(PREV)
	@test -d data/$(YEAR) || $(BIN)/toolkit demo-data --year $(YEAR)

demo: setup data ## set up, generate the demo data, and run the 2022 evaluation into reports/2022/
	$(BIN)/toolkit run --year $(YEAR)

# years: a synthetic span for `toolkit run --years` (docs/years.md); YEARS is a range
YEARS     ?= 2018-2022
SPAN_DIR  := data/demo-years
SPAN_FROM := $(firstword $(subst -, ,$(YEARS)))
SPAN_TO   := $(lastword $(subst -, ,$(YEARS)))

demo-years: setup ## synthetic span YEARS=2018-2022: demo data + derived rules in data/demo-years/, run --years into reports/demo-years/
	@mkdir -p $(SPAN_DIR)/rules
	@printf '%s\n' "SYNTHETIC: rules/2022.yaml with its dates moved to each year, written by make demo-years" \
	  "for the demo of toolkit run --years only. These are not policy; never copy them into rules/." \
	  > $(SPAN_DIR)/rules/README.md
	@for y in $$(seq $(SPAN_FROM) $(SPAN_TO)); do \
	  test -d $(SPAN_DIR)/$$y || $(BIN)/toolkit demo-data --year $$y --out $(SPAN_DIR)/$$y || exit 1; \
	  sed -e "s/2022-/$$y-/g" -e "s/year: 2022/year: $$y/" -e "s/2023-03-07/$$((y + 1))-03-07/g" \
	      -e "s/2022年/$${y}年/g" rules/2022.yaml > $(SPAN_DIR)/rules/$$y.yaml; \
	done
	$(BIN)/toolkit run --years $(YEARS) --data-dir $(SPAN_DIR) --rules $(SPAN_DIR)/rules --out reports/demo-years

run: setup ## run the evaluation of YEAR on data/YEAR (make run YEAR=2023)
	$(BIN)/toolkit run --year $(YEAR)

validate: setup ## read data/YEAR and print the ledger and every problem
	$(BIN)/toolkit validate --year $(YEAR)

forms: setup ## only the approval forms and the meeting roster of YEAR
	$(BIN)/toolkit forms --year $(YEAR)

test: setup ## run the test suite (pytest, two workers: a test file stays on one worker)
	$(BIN)/python -m pytest -q -n 2 --dist loadfile

test-fast: setup ## the test suite without the slow end-to-end runs
	$(BIN)/python -m pytest -q -n 2 --dist loadfile -m "not slow"

lint: setup ## ruff
	$(BIN)/ruff check toolkit tests bench

format: setup ## ruff format and import sorting
	$(BIN)/ruff check --fix toolkit tests bench
	$(BIN)/ruff format toolkit tests bench

# the terminal's messages (docs/messages.md): English msgids in the code, the Chinese catalogue
# toolkit/locale/zh_CN/LC_MESSAGES/messages.po (translated by hand), its .mo compiled and committed
LOCALE := toolkit/locale
messages: $(STAMP) ## extract the messages (pybabel), merge them into the zh_CN catalogue, compile it
	$(BIN)/pybabel -q extract -F babel.cfg --no-location --sort-output --omit-header -o $(LOCALE)/messages.pot .
	$(BIN)/pybabel -q update -i $(LOCALE)/messages.pot -d $(LOCALE) -l zh_CN --no-fuzzy-matching --ignore-obsolete --ignore-pot-creation-date
	$(BIN)/pybabel compile -d $(LOCALE) -l zh_CN --statistics

lab: setup ## JupyterLab on the project with the venv's kernel
	$(BIN)/jupyter lab --notebook-dir=.

bench-years: setup ## five demo years through run --years, then again unchanged: times against the targets (3 min, 20 s)
	$(BIN)/python -m bench.years

bench-parsers: setup ## typing a million cells: the general date and amount parsers against their fast path, same run
	$(BIN)/python -m bench.parsers

bench: setup ## province-scale benchmark and the 1x/3x/10x ladder (make bench LADDER=1,3): bench/results.md
	$(BIN)/python -m bench $(if $(LADDER),--ladder $(LADDER))

clean-reports: ## remove generated reports (keeps reports/README.md)
	find reports -mindepth 1 -maxdepth 1 ! -name README.md -exec rm -rf {} +

clean: clean-reports ## remove the venv, caches and generated data
	rm -rf $(VENV) .cache .pytest_cache .ruff_cache .hypothesis
	find data -mindepth 1 -maxdepth 1 ! -name README.md -exec rm -rf {} +
