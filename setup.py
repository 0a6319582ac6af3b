"""Compile the translation catalogs while building, so no .mo file is committed."""
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


setup(cmdclass={"build_py": BuildWithCatalogs})
