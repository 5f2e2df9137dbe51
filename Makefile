# `make demo` and `make test` set up .venv themselves (again whenever pyproject.toml changes).
VENV := .venv
STAMP := $(VENV)/.installed
export PATH := $(CURDIR)/$(VENV)/bin:$(PATH)
export MPLBACKEND := Agg

.PHONY: demo test lab release gradescope bench clean

$(STAMP): pyproject.toml
	python3 -m venv $(VENV)
	$(VENV)/bin/python -m pip install --quiet --upgrade pip 2>&1 | grep -v '^WARNING: Location' || true
	$(VENV)/bin/python -m pip install --quiet -e . 2>&1 | grep -v '^WARNING: Location' || true
	$(VENV)/bin/python -c "import autograder.grade, nbgrader, torch, jupyterlab"
	touch $@

demo: $(STAMP)  ## release, grade the sample class with nbgrader and the CI grader
	python -m examples.demo

test: $(STAMP)  ## the course's own tests
	python -m pytest

lab: $(STAMP)  ## JupyterLab on the course, with nbgrader's extensions
	jupyter lab

release: $(STAMP)  ## regenerate assignments/ and solutions/ from source/
	for a in $$(ls source); do nbgrader generate_assignment $$a --force && nbgrader generate_solution $$a --force; done

clean:
	rm -rf .demo dist gradebook.db

gradescope: $(STAMP)  ## the autograder zip to upload to Gradescope
	python -m autograder.gradescope dist/gradescope.zip

bench: $(STAMP)  ## nbgrader autograde vs the CI grader on the same submissions
	python -m bench.run $(BENCH_ARGS)
