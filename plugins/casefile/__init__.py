"""Plugin ``casefile``: runs any SOP that no plugin handles — one imported from its
SOP AP document or written in the revision editor — on a generic subject, the
case file (*berkas*): a title, the requester, the free fields the SOP declares
(text, date, number, choice, file), evidence per step and notes. Its steps are
done on the tracker's generic run page, with the same inbox, reminders,
compliance report, SOP AP page and flowchart as every plugin SOP."""
from core.toolkit import Manifest

manifest = Manifest(
    name="casefile",
    version="0.1.0",
    title="Berkas SOP",
    summary="Generic case files (berkas) that run any SOP without a plugin of its own",
    depends=(),
    sop_codes=(),
)
