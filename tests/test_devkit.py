"""Issue 22 (plugin developer kit v2): the small frictions of the ``balai`` command and generic screens."""
import os
import subprocess
import sys

from core import cli

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def test_config_accepted_after_the_sub_command(tmp_path, capsys):
    missing = str(tmp_path / "nowhere.ini")
    for argv in (["--config", missing, "sop", "list"], ["sop", "list", "--config", missing],
                 ["sop", "--config", missing, "list"], ["user", "list", "--config", missing]):
        code = cli.main(argv)
        err = capsys.readouterr().err
        assert code == cli.EXIT_CONFIG and missing in err, (argv, err)
    args = cli.parser_for().parse_args(["--config", "a.ini", "demo"])
    assert args.config == "a.ini"            # not overwritten by the sub-command's own option
    assert cli.parser_for().parse_args(["demo", "--config", "b.ini"]).config == "b.ini"


def test_a_closed_pipe_is_not_a_traceback(tmp_path):
    # `balai sop show X | head -1`: the reader goes away; balai ends quietly, exit 0.
    reader = subprocess.Popen(["head", "-1"], stdin=subprocess.PIPE, stdout=subprocess.DEVNULL)
    writer = subprocess.run([sys.executable, "-c", PRINT_A_LOT], stdout=reader.stdin, stderr=subprocess.PIPE,
                            cwd=REPO, timeout=60)
    reader.stdin.close()
    reader.wait(timeout=10)
    assert b"Traceback" not in writer.stderr and b"BrokenPipe" not in writer.stderr, writer.stderr.decode()
    assert writer.returncode == 0


# A sub-command that prints much more than a pipe holds (what `sop show` does on a long SOP).
PRINT_A_LOT = """
import sys
from core import cli
class Many:
    name, help = "many", "prints many lines"
    def configure(self, parser): pass
    def run(self, app, args): pass
def printing(args):
    for i in range(200000):
        print("langkah", i)
p = cli.parser_for([Many()])
cli.parser_for = lambda commands=(): p
p._subparsers._group_actions[0].choices["many"].set_defaults(func=printing)
sys.exit(cli.main(["many"]))
"""
