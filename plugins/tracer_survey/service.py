"""What the tracer survey does, as the screens and hooks use it — split by concern:

- ``config``   options, dates, wave states, caturwulan (the SOP's reporting period)
- ``waves``    the batch's survey (ONE run of KDI-PM-09), waves, roster, the scheduled job, steps
- ``contacts`` phones, personal links, WhatsApp messages, contact and vacancy logs
- ``links``    the alumni's survey links on the core's public links (expiry = the wave's close)
- ``answers``  the public form's answers and spreadsheet imports
- ``recap``    counts and rates per wave and programme (step 8)
- ``export``   the SMILe export

Every change goes through ``core.audit``.
"""
from core.toolkit import local_today  # noqa: F401  (screens read "today" in the office's zone)
from plugins.tracer_survey.answers import (  # noqa: F401
    answer_columns, answer_of, answer_values, check_answer_file, check_roster_file, import_answers, roster_columns,
    save_answer)
from plugins.tracer_survey.config import (  # noqa: F401
    CODE, DEFAULT_SMILE, EXPORT_FIELDS, FLOW, PLUGIN, STATE_LABELS, SUBJECT, TracerError, add_months, caturwulan,
    caturwulan_label, caturwulan_range, check_months, check_open_days, check_smile_columns, parse_caturwulan,
    parse_months, parse_smile_columns, settings, survey_title, wave_state, wave_title)
from plugins.tracer_survey.contacts import (  # noqa: F401
    base_url, base_url_problem, contact_rows, log_contacts, normalize_phone, open_vacancies, share_vacancies,
    survey_link, wa_message)
from plugins.tracer_survey.links import (  # noqa: F401
    PURPOSE as LINK_PURPOSE, alumnus_of, token_of, tokens_of)
from plugins.tracer_survey.links import answer as answer_by_link, sync as sync_links  # noqa: F401
from plugins.tracer_survey.export import export_csv, export_rows, export_xlsx  # noqa: F401
from plugins.tracer_survey.paper import issue_recap_paper  # noqa: F401
from plugins.tracer_survey.recap import SEX, breakdowns, nonresponders, recap, waiting_months  # noqa: F401
from plugins.tracer_survey.waves import (  # noqa: F401
    change_close, close_wave, complete_step, create_waves, fill_roster, finish_answering, get_wave, import_roster, last_close,
    on_batch_ended, roster, roster_size, run_of, survey_of, tend_waves)
