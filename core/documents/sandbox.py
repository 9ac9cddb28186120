"""Rendering document templates in Jinja's sandbox, with limits and a report.

Every document template (the files of the chain and the texts an institution
edits) renders here: ``ImmutableSandboxedEnvironment`` (no private attributes,
no methods that change data), ``range`` limited, ``*``/``**``/``%`` and every
filter refusing sizes that would build huge strings, a budget of loop work
and of output, and an ``Undefined`` that records each missing name with its
line instead of printing a blank. ``trial`` is what a save calls: it returns
the problems (line and reason) and a preview.
"""
import contextvars
import functools
import sys
import time
from dataclasses import dataclass, field

import jinja2
from jinja2.exceptions import SecurityError
from jinja2.sandbox import ImmutableSandboxedEnvironment

MAX_RANGE = 1000            # items one range() may produce
MAX_LOOP_WORK = 20000       # items all range() calls of one render may produce
MAX_SIZE = 10000            # largest number a filter / * / % may be asked to build with
MAX_OUTPUT = 500_000        # characters of one rendered document
MAX_SECONDS = 5.0


@dataclass
class Report:
    """What one render found: missing names (line, text) and the fatal problem, if any."""
    undefined: list = field(default_factory=list)
    work: int = 0
    deadline: float = 0.0


_report = contextvars.ContextVar("balai_document_report", default=None)


def _template_line():
    """The template line being rendered (from the compiled template's frame)."""
    frame = sys._getframe(2)
    while frame is not None:
        tpl = frame.f_globals.get("__jinja_template__")
        if tpl is not None:
            try:
                return tpl.get_corresponding_lineno(frame.f_lineno), tpl.name
            except Exception:
                return None, tpl.name
        frame = frame.f_back
    return None, None


class RecordingUndefined(jinja2.ChainableUndefined):
    """A missing name prints blank but is recorded (with its line) for the report."""
    __slots__ = ()

    def _record(self):
        report = _report.get()
        if report is not None:
            line, name = _template_line()
            if self._undefined_obj is not jinja2.utils.missing and self._undefined_name is not None:
                what = f"{type(self._undefined_obj).__name__} tidak punya atribut {self._undefined_name!r}"
            else:
                what = f"nama {self._undefined_name!r} tidak dikenal"
            entry = (line, name, what)
            if entry not in report.undefined:
                report.undefined.append(entry)

    def __str__(self):
        self._record()
        return ""

    def __iter__(self):
        self._record()
        return iter(())

    def __bool__(self):
        self._record()
        return False

    def __len__(self):
        self._record()
        return 0

    __html__ = __str__


def _spend(n):
    report = _report.get()
    if report is None:
        return
    report.work += n
    if report.work > MAX_LOOP_WORK:
        raise SecurityError(f"terlalu banyak pengulangan (lebih dari {MAX_LOOP_WORK})")
    if report.deadline and time.monotonic() > report.deadline:
        raise SecurityError("terlalu lama dirender")


def limited_range(*args):
    rng = range(*args)
    if len(rng) > MAX_RANGE:
        raise SecurityError(f"range terlalu besar ({len(rng)} > {MAX_RANGE})")

    def counted():
        for i in rng:
            _spend(1)
            yield i
    return counted()


def _check_sizes(values):
    for v in values:
        if isinstance(v, int) and not isinstance(v, bool) and abs(v) > MAX_SIZE:
            raise SecurityError(f"angka terlalu besar untuk templat ({v})")


def _bounded_filter(fn):
    @functools.wraps(fn)      # keeps jinja_pass_arg (pass_context / pass_environment)
    def wrapper(*args, **kwargs):
        _check_sizes(list(args[1:]) + list(kwargs.values()))
        return fn(*args, **kwargs)
    return wrapper


class DocumentEnvironment(ImmutableSandboxedEnvironment):
    intercepted_binops = frozenset(["*", "**", "%"])

    def call_binop(self, context, operator, left, right):
        if operator == "**":
            _check_sizes([left, right])
            if isinstance(right, int) and abs(right) > 64:
                raise SecurityError("pangkat terlalu besar")
        elif operator == "*":
            for a, b in ((left, right), (right, left)):
                if isinstance(a, (str, list, tuple)) and isinstance(b, int) and len(a) * b > MAX_SIZE:
                    raise SecurityError("hasil perkalian teks/daftar terlalu besar")
        elif operator == "%" and isinstance(left, str):
            import re
            if any(int(w) > MAX_SIZE for w in re.findall(r"%[-+ #0]*(\d+)", left)):
                raise SecurityError("lebar format terlalu besar")
        return super().call_binop(context, operator, left, right)

    def wrap_str_format(self, value):
        text = getattr(value, "__self__", None)
        if isinstance(text, str):
            import re
            if any(int(w) > MAX_SIZE for w in re.findall(r"\d+", text)):
                raise SecurityError("lebar format terlalu besar")
        return super().wrap_str_format(value)

    def call(__self, __context, __obj, *args, **kwargs):   # noqa: N805 (jinja's signature)
        _check_sizes(list(args) + list(kwargs.values()))
        _spend(0)
        return super().call(__context, __obj, *args, **kwargs)


def make_environment(loader, filters=None, globals_=None, autoescape=True):
    """The sandbox; ``autoescape=False`` for plain-text templates (a letter's text a frame escapes later)."""
    env = DocumentEnvironment(loader=loader, autoescape=autoescape, trim_blocks=True, lstrip_blocks=True,
                              undefined=RecordingUndefined)
    env.filters.update(filters or {})
    env.filters = {name: _bounded_filter(fn) for name, fn in env.filters.items()}
    env.globals.update(globals_ or {})
    env.globals["range"] = limited_range
    return env


class RenderProblem(Exception):
    """A template that cannot be rendered; ``line`` and ``reason`` say where and why."""
    def __init__(self, reason, line=None):
        super().__init__(f"baris {line}: {reason}" if line else reason)
        self.reason, self.line = reason, line


def _line_of(exc):
    """The template line in an exception's traceback (jinja rewrites template frames
    to carry the template's file name and line)."""
    tb, line = exc.__traceback__, None
    while tb is not None:
        if not tb.tb_frame.f_code.co_filename.endswith(".py"):
            line = tb.tb_lineno
        tb = tb.tb_next
    return line


def render(env, values, name=None, source=None):
    """Render template ``name`` (or the text ``source``) → (html, Report).

    Raises RenderProblem (with the line) for syntax errors, refused operations,
    exhausted budgets and errors inside the template. Missing names do not
    raise: they are in the report."""
    report = Report(deadline=time.monotonic() + MAX_SECONDS)
    token = _report.set(report)
    try:
        try:
            tpl = env.from_string(source) if source is not None else env.get_template(name)
        except jinja2.TemplateSyntaxError as exc:
            raise RenderProblem(exc.message, exc.lineno)
        out, size = [], 0
        try:
            for chunk in tpl.generate(**values):
                size += len(chunk)
                if size > MAX_OUTPUT:
                    raise SecurityError(f"hasil terlalu panjang (lebih dari {MAX_OUTPUT} karakter)")
                _spend(0)
                out.append(chunk)
        except jinja2.TemplateSyntaxError as exc:      # in an included/extended template
            raise RenderProblem(f"{exc.message} ({exc.name})", exc.lineno)
        except RenderProblem:
            raise
        except RecursionError as exc:
            raise RenderProblem("pemanggilan berulang tanpa akhir", _line_of(exc))
        except MemoryError as exc:
            raise RenderProblem("hasil terlalu besar", _line_of(exc))
        except Exception as exc:        # any error inside an edited template is the template's problem
            raise RenderProblem(str(exc) or type(exc).__name__, _line_of(exc))
        return "".join(out), report
    finally:
        _report.reset(token)


def trial(env, values, source=None, name=None):
    """Check a template before it is saved → (problems, preview html).

    ``problems`` is a list of "baris N: reason" texts: a fatal error, or every
    missing name. An empty list means the template may be saved."""
    try:
        html, report = render(env, values, name=name, source=source)
    except RenderProblem as exc:
        return [str(exc)], ""
    problems = [(f"baris {line}: " if line else "") + what for line, _name, what in report.undefined]
    return problems, html
