"""config.ini: reading, typing and validating, with every problem reported at once.

``[balai]`` holds the core options (declared below as ``CORE_OPTIONS``);
``[plugin:NAME]`` holds each plugin's options, declared by the plugin through
the ``balai_config_options`` hook. Relative paths are relative to the file.
"""
import configparser
import os

from core.documents.words import check_place
from core.plugins import Option

DEFAULT_PATH = "config.ini"

CORE_OPTIONS = [
    Option("institution", "str", "Balai Pelatihan", "Name shown in the UI and on letters"),
    Option("city", "str", "", "Place written before the date of documents (Kendari, 3 Desember 2026)",
           check=check_place),
    Option("plugins", "list", [], "Enabled plugins, space or comma separated"),
    Option("plugin_dirs", "list", [], "Extra folders of plugin packages (not pip-installed)"),
    Option("database", "str", "sqlite:///balai.db", "sqlite:///PATH or postgresql://USER@HOST:PORT/DB"),
    Option("theme", "str", "default", "A folder of themes/"),
    Option("language", "choice", "id", "UI language", ("id", "en")),
    Option("timezone", "choice", "WIB", "Institution time zone", ("WIB", "WITA", "WIT")),
    Option("office_hours", "str", "08:00-16:00", "Working hours, Monday to Friday"),
    Option("upload_dir", "path", "uploads", "Where evidence files are stored (by sha256)"),
    Option("upload_max_mb", "int", 10, "Largest evidence file accepted"),
    Option("session_idle_minutes", "int", 120, "Log out after this long without a request"),
    Option("session_max_hours", "int", 12, "Log out this long after login, whatever happens"),
    Option("https", "bool", False, "Set Secure cookies (true when served behind HTTPS)"),
    Option("base_url", "str", "", "Public address used in links sent outside (survey, QR codes)"),
    Option("mail_host", "str", "", "SMTP server for reminders; empty: reminders appear in the UI only"),
    Option("mail_from", "str", "", "Sender address for reminder mail"),
    Option("audit_key_file", "path", "audit.key",
           "Secret key signing the audit log and its checkpoints; keep it OUT of the database and its backups"),
    Option("audit_checkpoint_file", "path", "audit-checkpoints.jsonl",
           "Signed checkpoints of the audit chain head (JSON lines); keep copies on another machine"),
    Option("escalate_after_days", "int", 0, "Working days a step may be overdue before its supervisor is told (0: never, unless the SOP says)"),
    Option("escalate_to", "str", "", "Role told about overdue steps when the SOP names none"),
]

TRUE = {"1", "true", "yes", "on", "ya"}
FALSE = {"0", "false", "no", "off", "tidak"}


class ConfigError(Exception):
    """Raised with every problem found in the configuration."""
    def __init__(self, problems):
        super().__init__("\n".join(problems))
        self.problems = list(problems)


def convert(option, raw, base_dir):
    """Turn the text of an option into its typed value; raise ValueError with a reason."""
    raw = raw.strip()
    if option.type == "str":
        return raw
    if option.type == "int":
        try:
            return int(raw)
        except ValueError:
            raise ValueError(f"expected a whole number, got {raw!r}")
    if option.type == "bool":
        if raw.lower() in TRUE:
            return True
        if raw.lower() in FALSE:
            return False
        raise ValueError(f"expected true or false, got {raw!r}")
    if option.type == "list":
        parts = [part for part in raw.replace(",", " ").split() if part]
        if option.name.endswith("_dirs"):
            parts = [p if os.path.isabs(p) else os.path.normpath(os.path.join(base_dir, p)) for p in parts]
        return parts
    if option.type == "choice":
        if raw not in option.choices:
            raise ValueError(f"expected one of {', '.join(option.choices)}, got {raw!r}")
        return raw
    if option.type == "path":
        return raw if os.path.isabs(raw) else os.path.normpath(os.path.join(base_dir, raw))
    raise ValueError(f"unknown option type {option.type!r}")


def read_ini(path):
    """Parse the file; raise ConfigError if it cannot be read at all."""
    parser = configparser.ConfigParser(interpolation=None)
    if not os.path.exists(path):
        raise ConfigError([f"config file not found: {path}"])
    try:
        parser.read(path, encoding="utf-8")
    except configparser.Error as exc:
        raise ConfigError([f"{path}: {exc}"])
    return parser


def typed_section(parser, section, options, base_dir, problems):
    """Typed values of one section, defaults filled in; problems appended, not raised."""
    declared = {o.name: o for o in options}
    values = {}
    for o in options:
        default = o.default
        if o.type == "path" and isinstance(default, str):
            default = convert(o, default, base_dir)
        values[o.name] = default
    if parser is not None and parser.has_section(section):
        for key, raw in parser.items(section):
            option = declared.get(key)
            if option is None:
                problems.append(f"[{section}] unknown option {key!r}"
                                + (f" (known: {', '.join(sorted(declared))})" if declared else ""))
                continue
            try:
                values[key] = convert(option, raw, base_dir)
            except ValueError as exc:
                problems.append(f"[{section}] {key}: {exc}")
                continue
            problem = option.check(values[key]) if option.check else None
            if problem:
                problems.append(f"[{section}] {key}: {problem}")
    return values


class Config:
    """The validated configuration of one deployment."""

    def __init__(self, path, balai, plugin_options, parser):
        self.path = path
        self.balai = balai                    # typed [balai] values
        self.plugin_options = plugin_options  # name → typed [plugin:NAME] values
        self.parser = parser

    def __getitem__(self, key):
        return self.balai[key]

    def plugin(self, name):
        """Typed options of ``[plugin:NAME]`` (defaults when the section is absent)."""
        return self.plugin_options.get(name, {})

    @property
    def base_dir(self):
        return os.path.dirname(os.path.abspath(self.path))


def load_core(path, overrides=None):
    """Read the file and type ``[balai]``; returns (parser, balai values, problems)."""
    parser = read_ini(path)
    base_dir = os.path.dirname(os.path.abspath(path))
    problems = []
    if not parser.has_section("balai"):
        problems.append(f"{path}: missing [balai] section")
    balai = typed_section(parser, "balai", CORE_OPTIONS, base_dir, problems)
    for key, value in (overrides or {}).items():
        balai[key] = value
    for section in parser.sections():
        if section != "balai" and not section.startswith("plugin:"):
            problems.append(f"unknown section [{section}] (expected [balai] or [plugin:NAME])")
    return parser, balai, problems


def load_plugin_options(parser, base_dir, plugin_set, enabled_names, problems):
    """Type every ``[plugin:NAME]`` section against the options its plugin declares."""
    options = {}
    for plugin, declared in plugin_set.each("balai_config_options"):
        section = "plugin:" + plugin.name
        options[plugin.name] = typed_section(parser, section, declared or [], base_dir, problems)
    for section in parser.sections():
        if section.startswith("plugin:"):
            name = section.split(":", 1)[1]
            # A section of a disabled plugin is kept, not an error: disabling keeps settings too.
            if name in enabled_names and name not in options:
                typed_section(parser, section, [], base_dir, problems)
    return options
