"""The CLI reference (docs/cli.md), generated from the commands themselves.

``python -m socialcover.cli.reference > docs/cli.md`` rewrites it; a test checks that the file
matches, so the reference cannot drift from the code.
"""

from __future__ import annotations

from typing import Any

from socialcover.cli.app import full_command


# Typer ships its own copy of click, so commands are inspected by duck typing.
def _walk(cmd: Any, path: list[str]) -> list[tuple[list[str], Any]]:
    out = [(path, cmd)]
    if hasattr(cmd, "commands"):
        for name in sorted(cmd.commands):
            out.extend(_walk(cmd.commands[name], [*path, name]))
    return out


def _describe(param: Any) -> str:
    if param.param_type_name == "argument":
        required = "required. " if param.required else ""
        name = (param.name or "").upper()
        help_text = (getattr(param, "help", None) or "").replace("|", "\\|").replace("\n", " ")
        return f"| `{name}` | argument | {required}{help_text} |"
    names = ", ".join(f"`{o}`" for o in [*param.opts, *param.secondary_opts])
    help_text = (param.help or "").replace("|", "\\|").replace("\n", " ")
    default = ""
    if param.default not in (None, False, (), []) and not param.is_flag:
        default = f" (default: `{param.default}`)"
    return f"| {names} | option | {help_text}{default} |"


def render_reference() -> str:
    """Markdown for every command, its help text, arguments and options."""
    root = full_command()
    lines = [
        "# Command-line reference",
        "",
        "Generated from the commands by `python -m socialcover.cli.reference`; "
        "do not edit by hand.",
        "",
    ]
    for path, cmd in _walk(root, ["socialcover"]):
        lines.append(f"## `{' '.join(path)}`")
        lines.append("")
        if cmd.help:
            lines.append(cmd.help.strip())
            lines.append("")
        params = [p for p in cmd.params if p.name != "help"]
        if params:
            lines += ["| name | kind | description |", "|---|---|---|"]
            lines += [_describe(p) for p in params]
            lines.append("")
    return "\n".join(lines)


if __name__ == "__main__":
    print(render_reference())
