# expertbridge — the two commands of the quick start are `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cksum pyproject.toml | cut -d' ' -f1)

.PHONY: install run test test-browser chromium fonts lint typecheck messages bench clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	rm -f $(VENV)/.installed-*
	touch $@

install: $(STAMP)  ## create .venv and install the package with its tools

run: install fonts  ## create the database under ./var, load the demo once, serve on http://127.0.0.1:8000
	$(BIN)/expertbridge init
	$(BIN)/expertbridge demo
	$(BIN)/expertbridge users demo
	$(BIN)/expertbridge serve

lint: install
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench

typecheck: install
	$(BIN)/mypy src

test: lint typecheck fonts  ## lint, type-check and run the whole suite (SQLite and PostgreSQL)
	$(BIN)/pytest

chromium:  ## Debian's Chromium for the browser tests (Playwright drives it; needs root or sudo)
	command -v chromium >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; }

# PDF agendas embed Noto Sans CJK (Latin, Cyrillic and Chinese in one font); EXPERTBRIDGE_PDF_FONT may name another.
fonts:  ## Debian's fonts-noto-cjk for PDF agendas (needs root or sudo when missing)
	@test -f /usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fonts-noto-cjk; } \
	  || echo "note: fonts-noto-cjk is missing and could not be installed; PDF agendas answer 503 until it is (or EXPERTBRIDGE_PDF_FONT names a font)"

test-browser: install chromium  ## only the browser tests (Playwright + Chromium); screenshots in tests/artifacts/
	EXPERTBRIDGE_REQUIRE_BROWSER=1 $(BIN)/pytest tests/browser

messages: install  ## re-extract translatable strings and update the ru/zh catalogs
	$(BIN)/pybabel extract -F babel.cfg -k N_ -k _ --no-location --sort-output \
	  --project expertbridge --copyright-holder "expertbridge contributors" \
	  -o src/expertbridge/web/locale/messages.pot .
	$(BIN)/pybabel update -i src/expertbridge/web/locale/messages.pot -d src/expertbridge/web/locale \
	  --no-fuzzy-matching --ignore-obsolete

bench: install  ## import throughput at N=100,000 (see bench/)
	$(BIN)/python bench/import_experts.py --experts 100000

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache
