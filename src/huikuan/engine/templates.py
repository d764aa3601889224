"""Shipped templates (``engine/templates/*.toml``), user rules files, and ``auto``."""

from __future__ import annotations

import tomllib
from collections.abc import Iterable
from importlib import resources
from pathlib import Path

from huikuan.domain.errors import RuleError
from huikuan.domain.roles import Role
from huikuan.engine.rules import Template, template_from_data


def template_names() -> list[str]:
    folder = resources.files("huikuan.engine") / "templates"
    return sorted(p.name.removesuffix(".toml") for p in folder.iterdir() if p.name.endswith(".toml"))


def load_template(name: str) -> Template:
    """A shipped template by name."""
    if name not in template_names():
        raise RuleError(f"unknown template {name!r}; shipped templates: {', '.join(template_names())}")
    text = (resources.files("huikuan.engine") / "templates" / f"{name}.toml").read_text("utf-8")
    return template_from_data(tomllib.loads(text), f"template {name}")


def load_rules_file(path: str | Path) -> Template:
    """A user's own rules file (TOML, same shape as the shipped templates)."""
    path = Path(path)
    try:
        data = tomllib.loads(path.read_text("utf-8"))
    except FileNotFoundError:
        raise RuleError(f"{path}: rules file not found") from None
    except tomllib.TOMLDecodeError as exc:
        raise RuleError(f"{path}: not valid TOML ({exc})") from None
    data.setdefault("name", path.stem)
    return template_from_data(data, str(path))


def choose_template(left_roles: Iterable[Role], right_roles: Iterable[Role]) -> Template:
    """``auto``: the shipped template whose roles fit the detected files on each side."""
    left, right = set(left_roles), set(right_roles)
    for name in template_names():
        template = load_template(name)
        if left <= set(template.left_roles) and right <= set(template.right_roles):
            return template
    hints = "; ".join(
        f"{t.name}: left {'/'.join(t.left_roles)}, right {'/'.join(t.right_roles)}"
        for t in map(load_template, template_names()))
    if any(right <= set(load_template(n).left_roles) and left <= set(load_template(n).right_roles)
           for n in template_names()):
        raise RuleError(f"the left files look like {'/'.join(sorted(left))} and the right like "
                        f"{'/'.join(sorted(right))}: swap --left and --right")
    raise RuleError(f"no template fits left files of kind {'/'.join(sorted(left)) or '?'} and "
                    f"right files of kind {'/'.join(sorted(right)) or '?'} ({hints}); "
                    "choose one with --template or write your own with --rules")
