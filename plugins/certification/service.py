"""The certification plugin's service: what the screens, the hooks and the bridge plugins call.

The rules live by concern in ``runs`` (the run, its status, the archive lock), ``scheduling``,
``confirmations``, ``intake`` (APL-01), ``testday`` (readiness, attendance, results), ``signing``
(berita acara, review, the tracker's guards) and ``certificates`` (archive, LSP numbers); this module
re-exports them so callers keep one import. Refusals raise ``CertError(message, field)``; every
change goes through ``core.audit``; each event's SOP run is driven through the tracker."""
from plugins.certification.certificates import (  # noqa: F401
    CellError,
    archive,
    certificates_query,
    expiring,
    lsp_row_problems,
    recommendation_rows,
    record_lsp,
)
from plugins.certification.confirmations import (  # noqa: F401
    LINK_PURPOSE,
    candidate_by_token,
    confirm,
    confirm_by_token,
    confirm_row,
    invitation_text,
    invitations,
    link_expiry,
    links_of,
    make_link,
    remind_unconfirmed,
    unconfirmed,
)
from plugins.certification.intake import (application_of, applications, incomplete_applications,  # noqa: F401
                                          intake_problems, save_application)
from plugins.certification.models import UnitResult  # noqa: F401  (used as service.UnitResult)
from plugins.certification.runs import (  # noqa: F401
    ADMIN_ROLE,
    CODE,
    FLOW,
    SUBJECT,
    TUK_ROLE,
    CertError,
    acts_as_tuk_head,
    add_years,
    complete_step,
    current_no,
    event_url,
    follow_run,
    head_refusal,
    options,
    reopen_if_archived,
    require_open_until,
    require_test_day,
    run_of,
    status_for,
    sync_status,
    transactional,
    tuk_head_pending,
)
from plugins.certification.scheduling import (  # noqa: F401
    add_candidate,
    add_manual_candidate,
    delete_candidate,
    assessor_problems,
    check_schedule,
    count_problems,
    graduates,
    parse_time,
    remove_candidate,
    save_event,
)
from plugins.certification.signing import (REVIEW_ITEMS, anchor, guards, report, review, review_items_for,  # noqa: F401
                                           review_refusal, sign)
from plugins.certification.testday import (checklist, finish_test, overall, readiness_refusal, save_readiness,  # noqa: F401
                                           save_results, test_problems)
from plugins.training.models import Person  # noqa: F401  (used as service.Person)
