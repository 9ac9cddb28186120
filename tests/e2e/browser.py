"""What the browser tests do as a person would: log in, check a page, keep a screenshot."""
import os

from core.testing import TEST_PASSWORD

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
ARTIFACTS = os.path.join(ROOT, "test-artifacts", "screenshots")


def screenshot(pg, name):
    os.makedirs(ARTIFACTS, exist_ok=True)
    pg.screenshot(path=os.path.join(ARTIFACTS, f"{name}.png"), full_page=True)


def login(pg, base, username, password=TEST_PASSWORD):
    """Log in the way a person does: type, Tab, type, Enter."""
    pg.goto(base + "/login")
    pg.get_by_label("Nama pengguna").fill(username)
    pg.keyboard.press("Tab")
    pg.keyboard.type(password)
    with pg.expect_navigation():
        pg.keyboard.press("Enter")


def logout(pg):
    with pg.expect_navigation():
        pg.get_by_role("button", name="Keluar").click()


def unlabelled_inputs(pg):
    """Inputs, selects and textareas without a label (for accessibility checks)."""
    return pg.evaluate("""() => [...document.querySelectorAll('input, select, textarea')]
        .filter(e => e.type !== 'hidden' && e.type !== 'submit')
        .filter(e => !(e.labels && e.labels.length) && !e.getAttribute('aria-label') && !e.getAttribute('aria-labelledby'))
        .map(e => e.name || e.id || e.outerHTML.slice(0, 60))""")


def horizontal_overflow(pg):
    """True when the page is wider than the viewport (unusable at phone width)."""
    return pg.evaluate("() => document.documentElement.scrollWidth > window.innerWidth + 2")


def check_page(pg, name):
    """Every key page: labelled inputs, no horizontal scrolling of the page, a screenshot kept."""
    assert unlabelled_inputs(pg) == [], f"{name}: inputs without a label"
    screenshot(pg, name)

