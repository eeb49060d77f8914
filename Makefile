# The two commands of README.md: `make guide` builds the site and the PDFs, `make test` runs the
# tests. Both create .venv and install what they need, Debian packages included (as root, or
# they print the apt-get line to run).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
GUIDE_APT := git libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core
# npm fetches axe-core for the browser tests; Debian's npm only where no npm is installed yet
# (NodeSource's nodejs carries its own and conflicts with Debian's).
TEST_APT := chromium poppler-utils $(if $(shell command -v npm 2>/dev/null),,npm)

.PHONY: guide test serve system-guide system-test clean

guide: $(VENV)/.installed
	$(BIN)/sectorguide build

test: $(VENV)/.installed system-test $(if $(wildcard package-lock.json),node_modules/.package-lock.json)
	$(BIN)/python -m pytest

# axe-core, which tests/test_browser.py injects into the built pages, at the version
# package-lock.json pins (test-only: nothing from node_modules ships with the site).
node_modules/.package-lock.json: package-lock.json | system-test
	npm ci --no-audit --no-fund
	touch $@

serve: $(VENV)/.installed
	$(BIN)/sectorguide serve

system-guide:
	@$(MAKE) --no-print-directory _apt PACKAGES="$(GUIDE_APT) $$($(PYTHON) -c 'import ensurepip' 2>/dev/null || echo python3-venv)"

system-test:
	@$(MAKE) --no-print-directory _apt PACKAGES="$(TEST_APT)"

_apt:
	@missing=""; for p in $(PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "ok installed" || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "installing Debian packages:$$missing"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	  else echo "please install first: sudo apt-get install$$missing"; exit 1; fi; fi

$(VENV)/.installed: pyproject.toml | system-guide
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[test]'
	touch $@

clean:
	rm -rf site docs/cases docs/browse docs/search.md docs/search.*.md .site-build-*
