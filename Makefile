# Every target creates the virtualenv when it is missing and installs the versions that passed,
# pinned in requirements-lock.txt (`make lock` renews it); nothing needs to be installed first
# but Python 3.11+ and make. Settings (PYTHON, VENV, PORT, PYTEST_ARGS, ...): README.md, Settings.
PYTHON ?= python3
VENV ?= .venv
PORT ?= 8000
PYTEST_ARGS ?=
LOCK_ARGS ?=
UV := uv==0.13.9
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
LOCK := requirements-lock.txt
# An interpreter's identity: its version and installation. A virtualenv made by another one (an
# older Python, one since removed or upgraded) is rebuilt, never reused half-working.
WHO := import sys; print(sys.version.split()[0], sys.base_prefix)
ifneq ($(shell $(BIN)/python -c '$(WHO)' 2>/dev/null),$(shell $(PYTHON) -c '$(WHO)' 2>/dev/null))
.PHONY: $(STAMP)
endif

.PHONY: demo test bench lint lock clean venv

# Python 3.11+ is checked before anything is made; a virtualenv of another interpreter is replaced.
venv:
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null || { \
	  echo "需要 Python 3.11 或更新版本，而 $(PYTHON) 是 $$($(PYTHON) --version 2>&1 | head -n 1)；请改用：make PYTHON=python3.11 $(MAKECMDGOALS)" >&2; \
	  echo "Python 3.11+ is needed and $(PYTHON) is $$($(PYTHON) --version 2>&1 | head -n 1); use e.g.: make PYTHON=python3.11 $(MAKECMDGOALS)" >&2; \
	  exit 1; }
	@if [ "$$($(BIN)/python -c '$(WHO)' 2>/dev/null)" != "$$($(PYTHON) -c '$(WHO)')" ]; then \
	  if [ -e "$(VENV)" ]; then \
	    if [ ! -f "$(VENV)/pyvenv.cfg" ]; then echo "$(VENV) 不是虚拟环境，未删除 / $(VENV) is not a virtualenv; left as it is" >&2; exit 1; fi; \
	    echo "重建 $(VENV)：它由另一个 Python 创建 / rebuilding $(VENV): another Python made it"; \
	    rm -rf "$(VENV)"; \
	  fi; \
	  $(PYTHON) -m venv "$(VENV)"; \
	fi

$(STAMP): pyproject.toml $(LOCK) | venv
	$(BIN)/python -m pip install --quiet -r $(LOCK)
	$(BIN)/python -m pip install --quiet --no-deps -e .
	$(BIN)/python -m pip check
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/python -m server.demo --port $(PORT)

test: $(STAMP)
	$(BIN)/python -m pytest $(PYTEST_ARGS)

bench: $(STAMP)
	$(BIN)/python bench/bench_theory.py
	$(BIN)/python bench/bench_practical.py
	$(BIN)/python bench/bench_recompute.py
	$(BIN)/python bench/bench_sheets.py
	$(BIN)/python bench/bench_projector.py
	$(BIN)/python bench/bench_workbook.py
	$(BIN)/python bench/bench_results.py
	$(BIN)/python bench/bench_live.py --viewers 200 1000 --updates 30 --rate 10
	$(BIN)/python bench/bench_writes.py --judges 50

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/mypy scoring results web organiser judges quiz public live server nominations works online
	$(BIN)/lint-imports

# Renews the lock from pyproject.toml for every platform and Python 3.11+, keeping the versions
# it pins unless LOCK_ARGS=--upgrade; then `make test` and commit both files.
lock: | venv
	$(BIN)/python -m pip install --quiet '$(UV)'
	$(BIN)/uv pip compile pyproject.toml --extra dev --universal --python-version 3.11 \
	  --custom-compile-command 'make lock' --output-file $(LOCK) --quiet $(LOCK_ARGS)

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .hypothesis
