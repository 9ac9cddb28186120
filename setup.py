"""Packaging for Balai: distribution ``balai``, console script ``balai``."""
from setuptools import find_packages, setup

setup(
    name="balai",
    version="0.1.0",
    description="SOP software for Indonesian vocational training offices (BPVP, BLK, Disnaker)",
    long_description=open("README.md", encoding="utf-8").read(),
    long_description_content_type="text/markdown",
    license="Apache-2.0",
    python_requires=">=3.11",
    packages=find_packages(include=["core", "core.*", "plugins", "plugins.*", "themes", "themes.*"]),
    include_package_data=True,
    package_data={
        "": ["templates/**/*", "static/**/*", "locale/**/*.po", "migrations/*.py", "*.txt", "*.html", "*.css", "*.svg"],
    },
    install_requires=[
        "pluggy>=1.5",
        "peewee>=4.0",
        "bottle>=0.13",
        "jinja2>=3.1",
        "marshmallow>=3.20",
        "waitress>=3.0",
        "argon2-cffi>=23.1",
        "babel>=2.14",
        "holidays>=0.60",
        "openpyxl>=3.1",
        "segno>=1.6",
        "xhtml2pdf>=0.2.16",
        "num2words>=0.5.13",
        "zxcvbn>=4.4",
        "apispec>=6.0",
        "python-docx>=1.1",
    ],
    extras_require={
        "postgresql": ["psycopg[binary]>=3.1"],
        "test": ["pytest>=8", "pytest-xdist>=3.6", "webtest>=3.0", "psycopg[binary]>=3.1", "playwright>=1.40",
                 "pypdf>=4.0", "hypothesis>=6.100", "ruff>=0.6", "schemathesis>=4.0", "openapi-spec-validator>=0.7"],
    },
    entry_points={
        "console_scripts": ["balai = core.cli:main"],
        "pytest11": ["balai = core.testing"],
    },
)
