"""The files ``balai new-plugin`` writes (``core/scaffold.py``), part 1: packaging, README, manifest,
SOP stub, table, migration and form. Part 2 (screens, hooks, demo, templates, catalogs, tests) is
``core/scaffold_screens.py``; each is a ``string.Template`` filled by ``scaffold.names_for``."""
# string.Template: ${name} is replaced; $$ is a literal dollar sign.

FILES = {}

FILES["pyproject.toml"] = '''\
[build-system]
requires = ["setuptools>=64"]
build-backend = "setuptools.build_meta"

[project]
name = "balai-${slug}"
version = "0.1.0"
description = "Balai plugin: ${title} (SOP ${code})"
readme = "README.md"
license = {text = "Apache-2.0"}
requires-python = ">=3.11"
dependencies = ["balai"]

[project.optional-dependencies]
test = ["pytest>=8", "webtest>=3.0"]

# Balai finds the plugin through this entry point: the value names the package.
[project.entry-points."balai.plugins"]
${name} = "${name}"

[tool.setuptools.packages.find]
include = ["${name}", "${name}.*"]

[tool.setuptools.package-data]
${name} = ["templates/**/*", "static/**/*", "locale/**/*.po", "migrations/*.py"]

[tool.pytest.ini_options]
testpaths = ["tests"]
'''

FILES["README.md"] = '''\
# balai-${slug}

A Balai plugin: **${title}**, the SOP ${code} as software.

| file | what it holds |
|---|---|
| `${name}/__init__.py` | the manifest (name, version, title, SOP codes) |
| `${name}/sop.py` | the SOP as data: header, roles, step table |
| `${name}/models.py` | the tables; `migrations/` builds them |
| `${name}/routes.py` | the screens |
| `${name}/hooks.py` | what the plugin gives Balai (models, roles, permissions, routes, menu, SOP) |
| `${name}/templates/${name}/` | templates that override Balai's generic pages |
| `${name}/locale/` | catalogs: `id` (wording) and `en` (English) |
| `tests/` | tests (pytest with Balai's fixtures `balai_app`, `balai_client`) |

## Use it

In the Balai virtual environment:

```sh
pip install -e .
```

then add `${name}` to `plugins` in Balai's `config.ini` and run `balai init`
(applies this plugin's migrations). Without installing, point
`plugin_dirs` in `config.ini` to this folder instead.

## Test it

```sh
python -m pytest
```

## Change the tables

Edit `${name}/models.py`, then, with `${name}` enabled in a config:

```sh
balai --config CONFIG makemigration ${name} LABEL
```

Writing a plugin step by step: Balai's `docs/writing-plugins.md`.
'''

FILES["NAME/__init__.py"] = '''\
"""Plugin ``${name}``: ${title} (SOP ${code})."""
from core.toolkit import Manifest

manifest = Manifest(
    name="${name}",
    version="0.1.0",
    title="${title}",
    summary="SOP ${code}",
    depends=${depends},
    sop_codes=("${code}",),
)
'''

FILES["NAME/sop.py"] = '''\
"""SOP ${code} — ${title}, as data (the format: Balai's docs/step-tracker.md).

Copy the header and the step table of the paper SOP here: one dict per row of
the table, roles as codes (one per swimlane). The core stores it as a
published revision at startup and runs it.
"""
CODE = "${code}"
CLERK = "${clerk}"
HEAD = "${head}"

# English titles of the roles (the SOP itself is Indonesian).
ROLE_TITLES_EN = {CLERK: "Officer", HEAD: "Head of unit"}

SOP = {
    "code": CODE,
    "number": CODE,
    "title": "${title}",
    "unit": "Balai Pelatihan",
    "created": "${today}",
    "revision": "1",
    "effective": "${today}",
    "approved_by": {"name": "", "nip": ""},
    "roles": [
        {"code": CLERK, "title": "${clerk_title}"},
        {"code": HEAD, "title": "${head_title}"},
    ],
    "steps": [
        {
            "no": 1,
            "activity": "Menerima dan memeriksa kelengkapan permohonan",
            "roles": [CLERK],
            "requirements": "Formulir permohonan",
            "time": "1 hari",
            "output": "Permohonan lengkap",
        },
        {
            "no": 2,
            "activity": "Menyetujui permohonan",
            "roles": [HEAD],
            "requirements": "Permohonan lengkap",
            "time": "2 hari",
            "output": "Permohonan disetujui",
            "approval": True,
            "return_to": 1,
            "next": None,
        },
    ],
}
'''

FILES["NAME/models.py"] = '''\
"""Tables of the ``${name}`` plugin. After a change: ``balai makemigration ${name} LABEL``."""
import peewee

from core.toolkit import BaseModel, utcnow


class Submission(BaseModel):
    """One request handled by the SOP: each owns one run of it. Its table is ``${table}``; a field
    with a ``verbose_name`` (its label, translated in locale/) is on the screen's form."""
    applicant = peewee.CharField(max_length=150, verbose_name="Nama pemohon")
    subject = peewee.CharField(max_length=200, index=True, verbose_name="Perihal")
    request_date = peewee.DateField(verbose_name="Tanggal permohonan")
    notes = peewee.TextField(null=True, verbose_name="Keterangan")
    created_at = peewee.DateTimeField(default=utcnow)

    def __str__(self):
        return self.subject


MODELS = [Submission]
'''

FILES["NAME/migrations/0001_initial.py"] = '''\
# Generated from a schema diff (balai new-plugin ${name}).
from peewee import *


def up(migrator, db):
    class Submission(Model):
        applicant = CharField(max_length=150)
        subject = CharField(index=True, max_length=200)
        request_date = DateField()
        notes = TextField(null=True)
        created_at = DateTimeField()
        class Meta:
            database = db
            table_name = '${table}'
    db.create_tables([Submission])


def down(migrator, db):
    migrator.migrate(migrator.drop_table('${table}'))
'''

