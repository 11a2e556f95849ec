"""Operator commands: `medbill db upgrade`, `medbill practices …`, `medbill users create`, `medbill tokens create`."""

from __future__ import annotations

import os
from typing import Annotated

import typer

from medbill.cli.common import console, container, fail, print_json

db_app = typer.Typer(help="The database: migrate it to the newest schema.", no_args_is_help=True)
practices_app = typer.Typer(help="Practices (tenants).", no_args_is_help=True)
users_app = typer.Typer(help="Users and their roles.", no_args_is_help=True)
tokens_app = typer.Typer(help="API bearer tokens.", no_args_is_help=True)


@db_app.command("upgrade")
def db_upgrade() -> None:
    """Migrate the database named by MEDBILL_DATABASE_URL (default sqlite:///./medbill.db) to the newest schema."""
    from medbill.bootstrap import Settings, migrate

    settings = Settings()
    try:
        migrate(settings)
    except Exception as exc:  # an unreachable server or a bad URL: one line, not a traceback
        fail(f"could not migrate the database: {type(exc).__name__}: {str(exc).splitlines()[0][:200]}")
    console.print("database is at the newest schema")


@practices_app.command("create")
def practices_create(
    name: Annotated[str, typer.Option(help="the practice's name")],
    npi: Annotated[str | None, typer.Option(help="group NPI")] = None,
    tin: Annotated[str | None, typer.Option(help="EIN, NN-NNNNNNN")] = None,
    line1: Annotated[str | None, typer.Option(help="street address")] = None,
    city: Annotated[str | None, typer.Option()] = None,
    state: Annotated[str | None, typer.Option()] = None,
    zip_code: Annotated[str | None, typer.Option("--zip")] = None,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Create a practice (a tenant)."""
    from medbill.services import setup
    from medbill.services.setup import AddressDraft

    address = None
    if line1 or city or state or zip_code:
        address = AddressDraft(line1=line1 or "", city=city or "", state=state or "", zip=zip_code or "")
    with container() as c:
        practice = setup.create_practice(c.deps, name=name, npi=npi, tin=tin, address=address)
    if as_json:
        print_json({"id": practice.id, "name": practice.name})
    else:
        console.print(f"practice {practice.name} created: {practice.id}")


@practices_app.command("list")
def practices_list(as_json: Annotated[bool, typer.Option("--json")] = False) -> None:
    """List the practices in this database."""
    from medbill.services import setup

    with container() as c:
        found = setup.list_practices(c.deps)
    if as_json:
        print_json([{"id": p.id, "name": p.name} for p in found])
    else:
        for p in found:
            console.print(f"{p.id}  {p.name}")


def practice_id_for(given: str | None) -> str:
    """The practice a command acts in: the one named by id or name, or the only one there is."""
    from medbill.services import setup

    with container() as c:
        found = setup.list_practices(c.deps)
    if given:
        for p in found:
            if given in (p.id, p.name):
                return p.id
        fail(f"no practice '{given}'; see medbill practices list")
    if len(found) == 1:
        return found[0].id
    fail("name the practice with --practice (there are several)" if found else "create a practice first")


@users_app.command("create")
def users_create(
    username: Annotated[str, typer.Option(help="sign-in name")],
    role: Annotated[str, typer.Option(help="admin, biller, coder, front_desk or viewer")],
    display_name: Annotated[str | None, typer.Option(help="shown in the UI and the audit trail")] = None,
    practice: Annotated[str | None, typer.Option(help="practice id or name (default: the only one)")] = None,
    password: Annotated[str | None, typer.Option(help="default: $MEDBILL_NEW_PASSWORD, else asked")] = None,
) -> None:
    """Create a user in a practice."""
    from medbill.services import users

    practice_id = practice_id_for(practice)
    secret = (
        password
        or os.environ.get("MEDBILL_NEW_PASSWORD")
        or typer.prompt("password", hide_input=True, confirmation_prompt=True)
    )
    with container() as c:
        user = users.bootstrap_user(
            c.deps,
            practice_id=practice_id,
            username=username,
            display_name=display_name or username,
            role=role,
            password=secret,
        )
    console.print(f"user {user.username} ({user.role.value}) created")


@tokens_app.command("create")
def tokens_create(
    username: Annotated[str, typer.Option(help="the user the token acts as")],
    name: Annotated[str, typer.Option(help="what the token is for")] = "api",
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Issue an API token for a user; it is printed once and stored only as a hash."""
    from medbill.services import users

    with container() as c:
        token, secret = users.bootstrap_token(c.deps, username=username, name=name)
    if as_json:
        print_json({"id": token.id, "token": secret})
    else:
        console.print(f"token {token.id} for {username}:")
        typer.echo(secret)
