"""`socialcover admin ...`: user accounts, roles, reset tokens and API tokens (local operator)."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

import typer
from rich.console import Console
from rich.table import Table

if TYPE_CHECKING:
    from socialcover.store import SystemActor

app = typer.Typer(
    help="Manage user accounts (runs with administrator rights).", no_args_is_help=True
)
console = Console()

URL_HELP = "Database URL (default: $SOCIALCOVER_DATABASE_URL, else socialcover.db in the home)."


def register(root: typer.Typer) -> None:
    """Add the ``admin`` command group to the root app."""
    root.add_typer(app, name="admin")


def _operator() -> SystemActor:
    from socialcover.store import SystemActor

    return SystemActor("cli")


def _password(password_stdin: bool) -> str:
    if password_stdin:
        return sys.stdin.readline().rstrip("\n")
    return str(typer.prompt("Password", hide_input=True, confirmation_prompt=True))


@app.command("create-user")
def create_user_cmd(
    email: str = typer.Argument(..., help="The person's e-mail (their log-in)."),
    role: str = typer.Option(
        "contributor", "--role", help="contributor, reviewer or administrator."
    ),
    organisation: str = typer.Option(None, "--organisation", help="Name of their organisation."),
    organisation_type: str = typer.Option(
        None, "--organisation-type", help="Register the organisation with this actor type if new."
    ),
    name: str = typer.Option("", "--name", help="Display name."),
    password_stdin: bool = typer.Option(
        False, "--password-stdin", help="Read the password from standard input (no prompt)."
    ),
    url: str = typer.Option(None, "--url", help=URL_HELP),
) -> None:
    """Create an account; the password is prompted (or read with --password-stdin)."""
    from socialcover.store import create_user, open_database, session_scope

    password = _password(password_stdin)
    actor = _operator()
    with session_scope(actor, engine=open_database(url)) as s:
        user = create_user(
            s,
            actor,
            email,
            password,
            role,
            organisation=organisation,
            organisation_type=organisation_type,
            display_name=name,
        )
        uid, address, user_role = user.id, user.email, user.role
    console.print(f"Created user {uid}: {address} ({user_role}).")


@app.command("reset-password")
def reset_password_cmd(
    email: str = typer.Argument(..., help="The account to reset."),
    site: str = typer.Option(
        "http://127.0.0.1:8000", "--site", help="The web app's address, for the link."
    ),
    url: str = typer.Option(None, "--url", help=URL_HELP),
) -> None:
    """A one-time reset link (valid 24 hours): e-mailed when SMTP is set, else printed."""
    from socialcover.store import create_reset_token, open_database, session_scope

    actor = _operator()
    with session_scope(actor, engine=open_database(url)) as s:
        token = create_reset_token(s, actor, email)
    _deliver(
        email,
        "Choose a new socialcover password",
        "valid 24 hours",
        token,
        site,
    )


@app.command("invite")
def invite_cmd(
    email: str = typer.Argument(..., help="The person's e-mail address."),
    role: str = typer.Option(
        "contributor", "--role", help="contributor, reviewer or administrator."
    ),
    name: str = typer.Option("", "--name", help="The name shown on pages."),
    organisation: str = typer.Option(
        None, "--organisation", help="Organisation id, name or acronym."
    ),
    site: str = typer.Option(
        "http://127.0.0.1:8000", "--site", help="The web app's address, for the link."
    ),
    url: str = typer.Option(None, "--url", help=URL_HELP),
) -> None:
    """Invite a person: an account and a one-time link (7 days) to choose their password."""
    from socialcover.store import invite_user, open_database, session_scope

    actor = _operator()
    with session_scope(actor, engine=open_database(url)) as s:
        token = invite_user(s, actor, email, role, organisation=organisation, display_name=name)
    _deliver(email, "Your socialcover account", "valid 7 days", token, site)


def _deliver(email: str, subject: str, validity: str, token: str, site: str) -> None:
    """E-mail the one-time link through the configured SMTP server, else print it."""
    from socialcover.web.mail import MailSettings, send_mail

    link = f"{site.rstrip('/')}/reset?token={token}"
    smtp = MailSettings.from_env()
    if smtp is None:
        console.print(f"One-time link for {email} ({validity}, shown once):")
        print(link)
        console.print(
            "Give it to the person by a safe channel (no SMTP server is configured: set "
            "SOCIALCOVER_SMTP_HOST to e-mail it). They choose their password on that page, or "
            "with `socialcover admin set-password --token`."
        )
        return
    body = (
        f"Choose your password for socialcover with this one-time link ({validity}):\n\n"
        f"{link}\n\nIf you did not expect this message, ignore it."
    )
    send_mail(smtp, email, subject, body)
    console.print(f"Sent the one-time link ({validity}) to {email} through {smtp.host}.")


@app.command("set-password")
def set_password_cmd(
    token: str = typer.Option(..., "--token", help="The one-time reset token."),
    password_stdin: bool = typer.Option(False, "--password-stdin", help="Read it from stdin."),
    url: str = typer.Option(None, "--url", help=URL_HELP),
) -> None:
    """Set a new password with a one-time reset token."""
    from socialcover.store import open_database, reset_password, session_scope

    password = _password(password_stdin)
    with session_scope("cli", engine=open_database(url)) as s:
        user = reset_password(s, token, password)
        address = user.email
    console.print(f"Password changed for {address}; their other sessions were ended.")


@app.command("set-role")
def set_role_cmd(
    email: str = typer.Argument(...),
    role: str = typer.Argument(..., help="contributor, reviewer or administrator."),
    url: str = typer.Option(None, "--url", help=URL_HELP),
) -> None:
    """Change a user's role."""
    from socialcover.store import open_database, session_scope, set_role

    actor = _operator()
    with session_scope(actor, engine=open_database(url)) as s:
        set_role(s, actor, email, role)
    console.print(f"{email} is now {role}.")


@app.command("deactivate")
def deactivate_cmd(
    email: str = typer.Argument(...), url: str = typer.Option(None, "--url", help=URL_HELP)
) -> None:
    """Deactivate an account and end its sessions (its records and history stay)."""
    from socialcover.store import open_database, session_scope, set_active

    actor = _operator()
    with session_scope(actor, engine=open_database(url)) as s:
        set_active(s, actor, email, False)
    console.print(f"{email} is deactivated.")


@app.command("activate")
def activate_cmd(
    email: str = typer.Argument(...), url: str = typer.Option(None, "--url", help=URL_HELP)
) -> None:
    """Re-activate an account."""
    from socialcover.store import open_database, session_scope, set_active

    actor = _operator()
    with session_scope(actor, engine=open_database(url)) as s:
        set_active(s, actor, email, True)
    console.print(f"{email} is active.")


@app.command("list-users")
def list_users_cmd(url: str = typer.Option(None, "--url", help=URL_HELP)) -> None:
    """List accounts with their role and organisation."""
    from socialcover.store import list_users, open_database, session_scope

    actor = _operator()
    table = Table("id", "e-mail", "name", "role", "organisation", "active")
    with session_scope(actor, engine=open_database(url), write=False) as s:
        for u in list_users(s, actor):
            org = u.organisation.name if u.organisation else ""
            table.add_row(
                str(u.id), u.email, u.display_name, u.role, org, "yes" if u.is_active else "no"
            )
    console.print(table)


@app.command("create-token")
def create_token_cmd(
    email: str = typer.Argument(..., help="The account the token acts for."),
    name: str = typer.Argument(..., help="What the token is for, e.g. stata-sync."),
    scope: str = typer.Option(
        "read", "--scope", help="read (GET only), write, or admin (administrators only)."
    ),
    days: int = typer.Option(90, "--days", help="Days until the token expires (1-366)."),
    url: str = typer.Option(None, "--url", help=URL_HELP),
) -> None:
    """Create an API token for a user; it is printed once and stored only as a hash."""
    import datetime as dt

    from socialcover.store import create_api_token, get_user, open_database, session_scope

    with session_scope("cli", engine=open_database(url)) as s:
        user = get_user(s, email)
        _, token = create_api_token(s, user, name, scope=scope, expires_in=dt.timedelta(days=days))
    console.print(
        f"API token {name!r} for {email} (shown once; send it as 'Authorization: Bearer'):"
    )
    print(token)
