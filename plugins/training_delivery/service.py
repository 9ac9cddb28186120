"""What the screens of ``training_delivery`` call, in one place: the work plan and its run of
SOP 503/47/SOP.BLK/2024, letters (drafts, paraf, signature, numbers), distribution, replies and
nominated candidates, meeting, training, report, reminders. The rules live by concern in
``flow`` (run, steps, ``DeliveryError``), ``planning`` (steps 1–3, committee), ``signing``
(steps 4–5), ``replies`` (steps 6–7) and ``conduct`` (steps 8–11); this module re-exports them.

Refusals raise ``DeliveryError`` (or the tracker's ``StepError``) with a message for the user;
every change goes through ``core.audit``.
"""

from plugins.training_delivery.flow import (CODE, FLOW, PLUGIN, REPLY_DAYS, SERIES, STAFF, SUBJECT, at_step,
                                            complete, DeliveryError, options, run_of)
from plugins.training_delivery.planning import (add_member, addressee_lines, approve_plan, budget_lines_of, instruct,
                                                members_of, parse_addressees, remove_member, return_plan, save_plan,
                                                submit_plan)
from plugins.training_delivery.signing import (cover_items, decree_signed_by_head, edit_letter, finalise,
                                               finish_signing, generate_letters, issue_document, letter_values,
                                               letters_of, paraf, return_letter, seed_templates, sign, sign_decree,
                                               signer_of, submit_drafts, take_number, template_for, text_of)
from plugins.training_delivery.replies import (add_candidate, close_replies, overdue_addressees, record_reply,
                                               record_sending, remind_replies, reply_deadlines, reply_due)
from plugins.training_delivery.conduct import (MAX_PHOTOS, REPORT_FIELDS, add_photo, assemble_report,
                                               attendance_summary, finish_training, on_batch_ended, photos_of,
                                               receive_report, remove_photo, report_signers, save_meeting,
                                               save_report, submit_report, training_days, training_problem)

__all__ = ["CODE", "DeliveryError", "FLOW", "MAX_PHOTOS", "PLUGIN", "REPLY_DAYS", "REPORT_FIELDS", "SERIES", "STAFF",
           "SUBJECT", "add_candidate", "add_member", "add_photo", "addressee_lines", "approve_plan",
           "assemble_report", "at_step", "attendance_summary", "budget_lines_of", "close_replies", "complete",
           "cover_items", "decree_signed_by_head", "edit_letter", "finalise", "finish_signing", "finish_training",
           "generate_letters", "instruct", "issue_document", "letter_values", "letters_of", "members_of",
           "on_batch_ended", "options", "overdue_addressees", "paraf", "parse_addressees", "photos_of",
           "receive_report", "record_reply", "record_sending", "remind_replies", "remove_member", "remove_photo",
           "reply_deadlines", "reply_due", "report_signers", "return_letter", "return_plan", "run_of",
           "save_meeting", "save_plan", "save_report", "seed_templates", "sign", "sign_decree", "signer_of",
           "submit_drafts", "submit_plan", "submit_report", "take_number", "template_for", "text_of",
           "training_days", "training_problem"]
