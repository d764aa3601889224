"""Every URL under ``c/<company_id>/`` goes through ``selectors.get_company_or_404``."""

from django.urls import include, path

from huikuan.web.views import auth, collection, company, dashboard, decisions, imports, reports, runs

company_urls = [
    path("", company.company_home, name="company"),
    path("setup/", company.setup_page, name="setup"),
    path("setup/stores/", company.add_store, name="add_store"),
    path("setup/bank-accounts/", company.add_bank_account, name="add_bank_account"),
    path("setup/contracts/", company.add_contract, name="add_contract"),
    path("setup/write-off-limit/", company.set_write_off_limit, name="set_write_off_limit"),
    path("imports/", imports.import_list, name="imports"),
    path("imports/upload/", imports.upload, name="upload"),
    path("imports/staged/<str:token>/", imports.staged_preview, name="staged_preview"),
    path("imports/staged/<str:token>/accept/", imports.accept, name="accept_import"),
    path("imports/staged/<str:token>/discard/", imports.discard, name="discard_import"),
    path("imports/<int:import_id>/", imports.import_detail, name="import"),
    path("runs/", runs.run_list, name="runs"),
    path("runs/start/", runs.start, name="start_run"),
    path("runs/<int:run_id>/", runs.run_detail, name="run"),
    path("runs/<int:run_id>/progress/", runs.run_progress, name="run_progress"),
    path("runs/<int:run_id>/cancel/", runs.cancel, name="cancel_run"),
    path("runs/<int:run_id>/line/", runs.raw_line, name="raw_line"),
    path("runs/<int:run_id>/export/", runs.export_tab, name="export_tab"),
    path("dashboard/", dashboard.dashboard, name="dashboard"),
    path("dashboard/report/", dashboard.report_download, name="dashboard_report"),
    path("collection/", collection.collection_page, name="collection"),
    path("collection/chain/", collection.order_chain, name="order_chain"),
    path("overdue/", collection.overdue_list, name="overdue"),
    path("overdue/chase/", collection.set_chase, name="set_chase"),
    path("overdue/export/", collection.overdue_export, name="overdue_export"),
    path("runs/<int:run_id>/decide/", decisions.decide, name="decide"),
    path("runs/<int:run_id>/decisions/<int:decision_id>/undo/", decisions.undo, name="undo_decision"),
    path("runs/<int:run_id>/lock/", decisions.lock, name="lock_period"),
    path("runs/<int:run_id>/unlock/", decisions.unlock, name="unlock_period"),
    path("reports/", reports.report_list, name="reports"),
    path("reports/download/", reports.download, name="report_download"),
    path("reports/custom/", reports.custom, name="custom_report"),
    path("reports/custom/save/", reports.save_custom, name="save_custom_report"),
    path("reports/findings/", reports.findings, name="findings"),
]

urlpatterns = [
    path("", company.home, name="home"),
    path("login/", auth.LoginView.as_view(), name="login"),
    path("logout/", auth.logout_view, name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("c/<int:company_id>/", include(company_urls)),
]
