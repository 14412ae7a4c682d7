"""Second half of `planwatch superset bootstrap`, run by the launcher inside the Superset venv.

Idempotent: the metadata DB schema (as `superset db upgrade`), permissions and built-in roles (as
`superset init`), admin user (created or its password/role reset), Public may fetch the language pack (so the login
page is Chinese), the dashboards bundle (re-imported, overwriting), roles Leader and Statistician (rebuilt
from Superset's Gamma/sql_lab roles each time), demo users when asked. Inputs come from the environment the
launcher sets: PLANWATCH_ADMIN_USER/PASSWORD, PLANWATCH_WAREHOUSE_DB, PLANWATCH_BUNDLE_DIR,
PLANWATCH_DEMO_USERS (JSON user -> password, local demo only), PLANWATCH_LOCAL.

`bootstrap_app.py user add NAME ROLE | user list | user remove NAME` manages the bureau's own accounts
(`planwatch superset user …`); the password of `add` comes from PLANWATCH_USER_PASSWORD, never the command line.
"""

from __future__ import annotations

import contextlib
import io
import json
import logging
import os
import sys
import time
import warnings
import zipfile
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))
from sql_gate import SERVED_URI_DATABASE

WAREHOUSE_TOKEN = "__PLANWATCH_WAREHOUSE_DB__"
BUNDLE_ROOT = "planwatch_dashboards"
DATABASE_NAME = "planwatch"

# Gamma permissions a leader does not get: writing, tagging, theming, uploads, embedded, registrations, logs.
# Exports: a dashboard/chart/dataset export bundles the database definition, of no use to a leader.
LEADER_DENY_PERMISSIONS = {"can_write", "can_delete", "can_tag", "can_bulk_create", "can_add", "can_edit",
                           "can_delete_embedded", "can_export_as_example", "can_cache_dashboard_screenshot",
                           "can_file_handler", "can_export_streaming_csv", "can_invalidate",
                           "can_put_chart_customizations", "can_export"}
# Database: the leader sees its dashboards' data, not the warehouse's schemas, tables and columns.
LEADER_DENY_VIEWS = {"Action Log", "Plugins", "Themes", "Theme", "Tags", "Tag", "TagView", "Databases", "Database",
                     "UserRegistrationsRestAPI", "SavedQuery", "SQLLab", "DynamicPlugin", "Tasks", "Task",
                     "Log", "RowLevelSecurity", "AvailableDomains"}


def say(message: str) -> None:
    print(f"[planwatch superset]   {message}", flush=True)


def build_bundle(bundle_dir: Path, warehouse_db: Path) -> bytes:
    """Zip the YAML source of the bundle. The database URI names no path (SERVED_URI_DATABASE): Superset's
    DB_CONNECTION_MUTATOR opens the real file, so no export or API answer shows where the warehouse lives."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        for path in sorted(bundle_dir.rglob("*.yaml")):
            text = path.read_text(encoding="utf-8").replace(WAREHOUSE_TOKEN, SERVED_URI_DATABASE)
            zf.writestr(f"{BUNDLE_ROOT}/{path.relative_to(bundle_dir).as_posix()}", text)
    return buffer.getvalue()


def first_value_sql(column: str, source: str, conditions: list[str], ascending: bool, prefer_current: bool) -> str:
    """The filter's first option as Superset lists it (sorted by value) or, where the dataset marks the option to
    open on (a boolean column is_current, e.g. the plan in force: marts.dim_plan), that option first."""
    order = "ASC" if ascending else "DESC"
    first = "bool_or(is_current) DESC, " if prefer_current else ""
    return (f"SELECT {column} AS v FROM {source} AS t WHERE {' AND '.join(conditions)} GROUP BY {column} "
            f"ORDER BY {first}v {order} LIMIT 1")


def set_first_value_default(native_filter: dict, chosen: dict[str, tuple[str, object]], warehouse_db: Path) -> None:
    """Give a "default to first item" select filter its first value as an explicit default.

    Superset 6.1 shows such a filter's first item but does not apply it to the charts on first load (they
    query unfiltered until the user presses Apply), so bootstrap works the value out from the warehouse (the
    filter's own dataset, sorted as the filter sorts — the option marked is_current first where the dataset has
    that column —, within its parent filters' defaults) and stores it as the default. Without a warehouse yet, the
    filter is left as it is.
    """
    from superset import db
    from superset.connectors.sqla.models import SqlaTable

    controls = native_filter.get("controlValues", {})
    targets = native_filter.get("targets") or [{}]
    column = targets[0].get("column", {}).get("name")
    dataset = db.session.get(SqlaTable, targets[0].get("datasetId")) if targets[0].get("datasetId") else None
    if not (controls.get("defaultToFirstItem") and column and dataset is not None):
        return
    if not warehouse_db.exists():
        say(f"filter {native_filter['name']}: no warehouse yet, no default value")
        return

    def quote(value: object) -> str:  # a filter value as a SQL literal: text quoted, numbers as they are
        return "'" + value.replace("'", "''") + "'" if isinstance(value, str) else str(value)

    conditions = [f"{column} IS NOT NULL"]
    for parent_id in native_filter.get("cascadeParentIds", []):
        if parent_id in chosen:
            parent_column, parent_value = chosen[parent_id]
            conditions.append(f"{parent_column} = {quote(parent_value)}")
    # a physical dataset (a dbt presentation model) or, for a hand-made one, its SQL
    source = f"({dataset.sql})" if dataset.sql else f'"{dataset.schema}"."{dataset.table_name}"'
    prefer_current = column != "is_current" and any(c.column_name == "is_current" for c in dataset.columns)
    sql = first_value_sql(column, source, conditions, controls.get("sortAscending", True), prefer_current)
    try:
        df = dataset.database.get_df(sql, schema=dataset.schema)
    except Exception as exc:  # a warehouse without the marts yet: leave the filter alone
        say(f"filter {native_filter['name']}: no default value ({str(exc).splitlines()[0][:120]})")
        return
    if df.empty:
        return
    first = df.iloc[0, 0]
    value = first.item() if hasattr(first, "item") else first  # numpy → Python: a year stays a number
    chosen[native_filter["id"]] = (column, value)
    controls["defaultToFirstItem"] = False
    native_filter["controlValues"] = controls
    native_filter["defaultDataMask"] = {
        "extraFormData": {"filters": [{"col": column, "op": "IN", "val": [value]}]},
        "filterState": {"value": [value], "label": str(value)},
        "ownState": {},
    }
    say(f"filter {native_filter['name']}: default {value!r}")


def main() -> int:
    from flask import g
    from superset.app import create_app

    app = create_app()
    with app.app_context():
        from superset import db, security_manager
        from superset.commands.chart.importers.v1 import ImportChartsCommand
        from superset.commands.dashboard.importers.v1 import ImportDashboardsCommand
        from superset.commands.database.importers.v1 import ImportDatabasesCommand
        from superset.commands.dataset.importers.v1 import ImportDatasetsCommand
        from superset.commands.importers.v1.utils import get_contents_from_bundle
        from superset.models.core import Database
        from superset.utils.core import override_user

        sm = security_manager

        # --- what `superset db upgrade` and `superset init` do, in this one process (saves two app starts)
        import flask_migrate
        import superset as superset_package

        started = time.monotonic()
        state = Path(os.environ.get("PLANWATCH_LOCAL", ".")) / "superset"
        migration_log = state / "logs" / "db_upgrade.log"
        migration_log.parent.mkdir(parents=True, exist_ok=True)
        logging.getLogger("alembic").setLevel(logging.WARNING)
        with migration_log.open("a", encoding="utf-8") as log, contextlib.redirect_stdout(log), \
                warnings.catch_warnings():
            warnings.simplefilter("ignore")
            flask_migrate.upgrade(directory=str(Path(superset_package.__file__).parent / "migrations"))
        say(f"metadata database migrated (superset db upgrade) in {time.monotonic() - started:.1f}s "
            f"(log: {migration_log})")
        started = time.monotonic()
        from superset.extensions import appbuilder

        appbuilder.add_permissions(update_perms=True)
        sm.sync_role_definitions()
        db.session.commit()
        say(f"permissions and built-in roles synced (superset init) in {time.monotonic() - started:.1f}s")

        # --- admin ------------------------------------------------------------------------------------
        admin_name = os.environ["PLANWATCH_ADMIN_USER"]
        admin_password = os.environ["PLANWATCH_ADMIN_PASSWORD"]
        admin_role = sm.find_role("Admin")
        admin = sm.find_user(username=admin_name)
        if admin is None:
            admin = sm.add_user(admin_name, "系统", "管理员", f"{admin_name}@planwatch.local", [admin_role],
                                password=admin_password)
            if not admin:
                print(f"error: could not create the admin user {admin_name!r}", file=sys.stderr)
                return 1
            say(f"admin {admin_name!r} created")
        else:
            sm.reset_password(admin.id, admin_password)
            if admin_role not in admin.roles:
                admin.roles.append(admin_role)
            admin.active = True
            say(f"admin {admin_name!r} exists: password and Admin role ensured")
        db.session.commit()

        # --- Public: language pack only, so the login page speaks Chinese -------------------------------
        public = sm.find_role("Public") or sm.add_role("Public")
        pv = sm.find_permission_view_menu("can_language_pack", "Superset")
        if pv is None:
            pv = sm.add_permission_view_menu("can_language_pack", "Superset")
        if pv not in public.permissions:
            public.permissions.append(pv)
        extra = [p for p in public.permissions if p is not pv]
        for p in extra:  # Public gets nothing else: an anonymous visitor sees only the login page
            public.permissions.remove(p)
        db.session.commit()
        say("role Public: can_language_pack only (Chinese login page)")

        # --- dashboards bundle --------------------------------------------------------------------------
        bundle_dir = Path(os.environ["PLANWATCH_BUNDLE_DIR"])
        warehouse_db = Path(os.environ["PLANWATCH_WAREHOUSE_DB"])
        data = build_bundle(bundle_dir, warehouse_db)
        if state.is_dir():
            (state / "bundle.zip").write_bytes(data)
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            contents = get_contents_from_bundle(zf)
        started = time.monotonic()
        g.user = admin
        with override_user(admin), warnings.catch_warnings():
            warnings.simplefilter("ignore")  # SQLAlchemy flush-time warnings of Superset's importers
            # The dashboard importer never overwrites databases/datasets/charts that exist: import each
            # kind with its own command so every bootstrap really re-imports the whole bundle.
            # Each command checks metadata.yaml's type, so give each its own.
            for command, kind in ((ImportDatabasesCommand, "Database"), (ImportDatasetsCommand, "SqlaTable"),
                                  (ImportChartsCommand, "Slice"), (ImportDashboardsCommand, "Dashboard")):
                part = dict(contents)
                part["metadata.yaml"] = contents["metadata.yaml"].replace("type: Dashboard", f"type: {kind}")
                command(part, overwrite=True).run()
        n = {k: sum(1 for f in contents if f.startswith(k)) for k in ("databases/", "datasets/", "charts/",
                                                                       "dashboards/")}
        say(f"bundle imported from {bundle_dir} in {time.monotonic() - started:.1f}s "
            f"({n['databases/']} database, {n['datasets/']} datasets, {n['charts/']} charts, "
            f"{n['dashboards/']} dashboards); warehouse {warehouse_db}")

        # Native filters act only on the charts listed in their chartsInScope, which the importer does not
        # compute (the bundle cannot know the new chart ids): derive it from each filter's scope.
        from superset.models.dashboard import Dashboard

        slugs = [yaml.safe_load(contents[f])["slug"] for f in contents if f.startswith("dashboards/")]
        for dash in db.session.query(Dashboard).filter(Dashboard.slug.in_(slugs)):
            metadata = json.loads(dash.json_metadata or "{}")
            chart_ids = sorted(chart.id for chart in dash.slices)
            chosen: dict[str, tuple[str, object]] = {}
            for native_filter in metadata.get("native_filter_configuration", []):
                excluded = set(native_filter.get("scope", {}).get("excluded", []))
                native_filter["chartsInScope"] = [cid for cid in chart_ids if cid not in excluded]
                set_first_value_default(native_filter, chosen, warehouse_db)
            if "global_chart_configuration" in metadata:
                metadata["global_chart_configuration"]["chartsInScope"] = chart_ids
            dash.json_metadata = json.dumps(metadata, ensure_ascii=False)
        db.session.commit()

        database = db.session.query(Database).filter_by(database_name=DATABASE_NAME).one_or_none()
        if database is None:
            print(f"error: database {DATABASE_NAME!r} missing after import", file=sys.stderr)
            return 1
        db_access = sm.find_permission_view_menu("database_access", database.perm)
        if db_access is None:
            db_access = sm.add_permission_view_menu("database_access", database.perm)

        # --- roles --------------------------------------------------------------------------------------
        # Leader: the datasets of the dashboards, one by one (datasource_access), not the whole database
        # (database_access would open its schemas, tables and columns); Statistician: the database, for SQL Lab.
        from superset.connectors.sqla.models import SqlaTable

        dataset_access = []
        for dataset in db.session.query(SqlaTable).filter_by(database_id=database.id):
            pv = sm.find_permission_view_menu("datasource_access", dataset.perm)
            if pv is None:
                pv = sm.add_permission_view_menu("datasource_access", dataset.perm)
            dataset_access.append(pv)
        gamma = sm.find_role("Gamma")
        sql_lab = sm.find_role("sql_lab")
        leader_perms = [
            p for p in gamma.permissions
            if p.permission.name not in LEADER_DENY_PERMISSIONS and p.view_menu.name not in LEADER_DENY_VIEWS
            and p.view_menu.name != "SQL Lab"
        ]
        statistician_perms = list(
            {id(p): p for p in [*leader_perms, *sql_lab.permissions, db_access]}.values()
        )
        leader_perms.extend(dataset_access)
        for role_name, perms in (("Leader", leader_perms), ("Statistician", statistician_perms)):
            role = sm.find_role(role_name) or sm.add_role(role_name)
            role.permissions = list({p.id: p for p in perms}.values())
            db.session.commit()
            say(f"role {role_name}: {len(role.permissions)} permissions")

        # --- demo users ---------------------------------------------------------------------------------
        demo = json.loads(os.environ.get("PLANWATCH_DEMO_USERS") or "{}")
        names = {"leader": ("区领导", "演示", "Leader"), "statistician": ("统计员", "演示", "Statistician")}
        for username, password in demo.items():
            first, last, role_name = names[username]
            role = sm.find_role(role_name)
            user = sm.find_user(username=username)
            if user is None:
                sm.add_user(username, first, last, f"{username}@planwatch.local", [role], password=password)
                say(f"demo user {username!r} created (role {role_name})")
            else:
                sm.reset_password(user.id, password)
                user.roles = [role]
                user.active = True
                say(f"demo user {username!r} exists: password and role {role_name} ensured")
            db.session.commit()
    return 0


BUREAU_ROLES = ("Leader", "Statistician")


def manage_users(argv: list[str]) -> int:
    """`user add NAME ROLE` (password from PLANWATCH_USER_PASSWORD), `user list`, `user remove NAME`."""
    from superset.app import create_app

    action = argv[0] if argv else ""
    app = create_app()
    with app.app_context():
        from superset import db
        from superset import security_manager as sm

        if action == "list":
            for user in sorted(sm.get_all_users(), key=lambda u: u.username):
                roles = ",".join(sorted(r.name for r in user.roles))
                print(f"{user.username}\t{roles}\t{'active' if user.active else 'inactive'}")
            return 0
        if action == "add" and len(argv) == 3:
            name, role_name = argv[1], argv[2]
            password = os.environ.get("PLANWATCH_USER_PASSWORD", "")
            role = sm.find_role(role_name) if role_name in BUREAU_ROLES else None
            if role is None:
                print(f"error: role {role_name!r} not found; use one of {', '.join(BUREAU_ROLES)} (after "
                      "`planwatch superset bootstrap`)", file=sys.stderr)
                return 2
            user = sm.find_user(username=name)
            if user is None:
                if not sm.add_user(name, name, role_name, f"{name}@planwatch.local", [role], password=password):
                    print(f"error: could not create user {name!r}", file=sys.stderr)
                    return 1
                say(f"user {name!r} created (role {role_name})")
            else:
                if any(r.name == "Admin" for r in user.roles):
                    print(f"error: {name!r} is the admin; change it with `planwatch superset bootstrap`",
                          file=sys.stderr)
                    return 2
                sm.reset_password(user.id, password)
                user.roles = [role]
                user.active = True
                say(f"user {name!r} exists: password and role {role_name} set")
            db.session.commit()
            return 0
        if action == "remove" and len(argv) == 2:
            user = sm.find_user(username=argv[1])
            if user is None:
                print(f"error: no user {argv[1]!r}; see `planwatch superset user list`", file=sys.stderr)
                return 2
            if any(r.name == "Admin" for r in user.roles):
                print(f"error: {argv[1]!r} is an admin and is not removed here", file=sys.stderr)
                return 2
            from sqlalchemy.exc import IntegrityError

            try:
                db.session.delete(user)
                db.session.commit()
                say(f"user {argv[1]!r} removed")
            except IntegrityError:  # it owns query history, logs or objects: keep the row, close the account
                db.session.rollback()
                user = sm.find_user(username=argv[1])
                user.active = False
                user.roles = []
                db.session.commit()
                say(f"user {argv[1]!r} deactivated and stripped of its roles (kept: it owns query history or "
                    "objects); it can no longer log in")
            return 0
    print("usage: bootstrap_app.py user add NAME ROLE | user list | user remove NAME", file=sys.stderr)
    return 2


if __name__ == "__main__":
    if sys.argv[1:2] == ["user"]:
        sys.exit(manage_users(sys.argv[2:]))
    sys.exit(main())
