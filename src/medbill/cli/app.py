"""The root Typer app and the registration of every command group."""

from __future__ import annotations

import typer

from medbill.cli import admin, appointments, claims, codes, deposits, era, estimate, payments, queues, run, scrub, x12
from medbill.cli import appeals as appeals_cli
from medbill.cli import clearinghouse as clearinghouse_cli
from medbill.cli import eligibility as eligibility_cli
from medbill.cli import jobs as jobs_cli
from medbill.cli import reports as reports_cli
from medbill.cli import statements as statements_cli

app = typer.Typer(help="medbill: medical billing and coding.", no_args_is_help=True, pretty_exceptions_enable=False)
app.add_typer(admin.db_app, name="db")
app.add_typer(admin.practices_app, name="practices")
app.add_typer(admin.users_app, name="users")
app.add_typer(admin.tokens_app, name="tokens")
app.add_typer(appointments.app, name="appointments")
app.add_typer(claims.app, name="claims")
app.add_typer(codes.app, name="codes")
app.add_typer(era.app, name="era")
app.add_typer(queues.app, name="queues")
app.add_typer(payments.app, name="payments")
app.add_typer(deposits.app, name="deposits")
app.add_typer(statements_cli.app, name="statements")
app.add_typer(reports_cli.app, name="reports")
app.add_typer(x12.app, name="x12")
app.add_typer(clearinghouse_cli.app, name="clearinghouse")
claims.app.command("status")(clearinghouse_cli.claims_status)
app.add_typer(appeals_cli.app, name="appeals")
app.add_typer(appeals_cli.collections_app, name="collections")
claims.app.command("write-off")(appeals_cli.write_off)
claims.app.command("replace")(appeals_cli.replace)
claims.app.command("void")(appeals_cli.void)
app.command("serve")(run.serve)
app.command("demo")(run.demo)
app.command("scrub")(scrub.scrub)
app.command("estimate")(estimate.estimate)
app.add_typer(eligibility_cli.app, name="eligibility")
app.command("estimate-accuracy")(estimate.accuracy)
app.add_typer(jobs_cli.app, name="jobs")
app.command("worker")(jobs_cli.worker)
