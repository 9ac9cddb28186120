"""The template chain (theme → plugins later-first → core) and the Jinja environment,
re-exported from ``core.web``."""
import os
import re

import jinja2


class ChainLoader(jinja2.BaseLoader):
    """Search template folders in order (theme, plugins later-first, core).

    ``{% extends_next %}`` at the top of a template extends the template of the
    same name further down the chain, so an override replaces one block only.
    """
    MARK = re.compile(r"\{%-?\s*extends_next\s*-?%\}")

    def __init__(self, layers):
        self.layers = layers          # [(label, folder)]

    def get_source(self, environment, template):
        start = 0
        if template.startswith("@"):
            index, _sep, template = template[1:].partition("/")
            start = int(index)
        for i in range(start, len(self.layers)):
            label, folder = self.layers[i]
            path = os.path.join(folder, *template.split("/"))
            if os.path.isfile(path):
                with open(path, encoding="utf-8") as fh:
                    source = fh.read()
                source = self.MARK.sub('{%% extends "@%d/%s" %%}' % (i + 1, template), source)
                mtime = os.path.getmtime(path)
                return source, path, lambda p=path, m=mtime: os.path.getmtime(p) == m
        raise jinja2.TemplateNotFound(template)

    def list_templates(self):
        found = set()
        for _label, folder in self.layers:
            for root, _dirs, files in os.walk(folder):
                for f in files:
                    found.add(os.path.relpath(os.path.join(root, f), folder).replace(os.sep, "/"))
        return sorted(found)


def make_environment(layers, globals_, filters):
    # Tests (core/testing.py) set BALAI_STRICT_TEMPLATES=1: a misspelt variable raises there
    # instead of printing nothing.
    strict = os.environ.get("BALAI_STRICT_TEMPLATES") == "1"
    env = jinja2.Environment(loader=ChainLoader(layers), autoescape=True,
                             trim_blocks=True, lstrip_blocks=True, auto_reload=True,
                             undefined=jinja2.StrictUndefined if strict else jinja2.ChainableUndefined)
    env.globals.update(globals_)
    env.filters.update(filters)
    return env
