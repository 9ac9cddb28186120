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


def has_focus(pg, element_id):
    """Assert that the element gets the focus. Chromium applies ``autofocus`` when it next renders,
    which may be after the load event a navigation waits for: wait for it (up to the page's
    timeout) instead of reading the focus at once, and never type before it."""
    from playwright.sync_api import expect
    expect(pg.locator(f"#{element_id}")).to_be_focused()


def keyboard_login(pg, base, username, password=TEST_PASSWORD):
    """Log in with the keyboard only: the username field has focus, type, Tab, type, Enter."""
    pg.goto(base + "/login")
    has_focus(pg, "username")                                           # autofocus
    pg.keyboard.type(username)
    pg.keyboard.press("Tab")
    pg.keyboard.type(password)
    with pg.expect_navigation():
        pg.keyboard.press("Enter")


def flashes(pg):
    """The texts of the flash messages on the page."""
    return [t.strip() for t in pg.locator("main .flash").all_inner_texts()]


def click_and_wait(pg, locator):
    """Click a link or a submit button and wait for the next page."""
    with pg.expect_navigation():
        locator.click()


def scrolls_sideways(pg):
    """True when the page is wider than the phone's screen. Stricter than horizontal_overflow:
    a mobile browser zooms out to fit a too-wide page (window.innerWidth grows with it), so
    compare with the layout viewport (documentElement.clientWidth) instead."""
    return pg.evaluate("() => document.documentElement.scrollWidth > document.documentElement.clientWidth + 1")


def wide_elements(pg):
    """What makes a page too wide: elements past the right edge that are not inside a scrolling table."""
    return pg.evaluate("""() => { const w = document.documentElement.clientWidth;
        return [...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > w + 1)
          .filter(e => getComputedStyle(e).position === 'absolute' || !e.parentElement.closest('.table-wrap, .scroll-x'))
          .slice(0, 5).map(e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') + (e.className ? '.' + e.className : ''))}""")
