"""Compile the translation catalogs while building (no .mo file is committed), and ship the
migrations inside the package so that `pip install .` gives a working `lms init`."""
import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py


class BuildWithCatalogs(build_py):
    def run(self):
        from babel.messages.frontend import compile_catalog

        if any(Path("lms/translations").glob("*/LC_MESSAGES/messages.po")):
            cmd = compile_catalog(self.distribution)
            cmd.directory = "lms/translations"
            cmd.finalize_options()
            cmd.run()
        super().run()
        if not self.editable_mode and Path("migrations/env.py").is_file():
            target = Path(self.build_lib) / "lms" / "_migrations"
            shutil.rmtree(target, ignore_errors=True)
            shutil.copytree("migrations", target, ignore=shutil.ignore_patterns("__pycache__"))


setup(cmdclass={"build_py": BuildWithCatalogs})
