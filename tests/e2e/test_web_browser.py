"""Drive the pages in headless Chromium: analyse, layers, errors, corpus pages, XSS attempts."""

from __future__ import annotations

from pathlib import Path

import pytest

ARTICLE = (
    "Harbour bridge to close, officials say\n\n"
    "The Eastgate bridge will close for two years from March 2027, officials familiar with the "
    'plan said on Tuesday. "We cannot wait any longer," Mayor Helena Brandt told reporters. '
    "According to a report by the transport department, the bridge carried 15.3 million vehicles "
    "last year. Experts say the detour is a disaster."
)
# Each payload sets window.__xss if it ever runs.
PAYLOADS = (
    '<img src=x onerror="window.__xss=1">',
    "<script>window.__xss=2</script>",
    '<svg onload="window.__xss=3"></svg>',
    '"><iframe src="javascript:window.top.__xss=4"></iframe>',
)


def _no_script_ran(browser) -> None:
    from selenium.common.exceptions import NoAlertPresentException

    assert browser.execute_script("return window.__xss === undefined")
    with pytest.raises(NoAlertPresentException):
        _ = browser.switch_to.alert.text
    body = browser.find_elements("id", "article-body")
    if body:
        assert not body[0].find_elements("css selector", "img, script, svg, iframe")


def _wait_for(browser, element_id: str, timeout: float = 120):
    from selenium.webdriver.support import expected_conditions as ec
    from selenium.webdriver.support.ui import WebDriverWait

    return WebDriverWait(browser, timeout).until(ec.presence_of_element_located(("id", element_id)))


@pytest.mark.slow  # analyses an article: loads the models
def test_analyse_pasted_text_shows_marks_and_panels(browser, server, artifacts: Path):
    browser.get(server + "/")
    browser.find_element("id", "text").send_keys(ARTICLE)
    browser.find_element("id", "submit").click()
    body = _wait_for(browser, "article-body")
    assert "15.3 million vehicles" in body.text
    assert body.find_elements("css selector", ".a-source.k-anonymous")
    assert body.find_elements("css selector", ".badge")
    for panel in ("headline", "sourcing", "outlet", "claims"):
        assert browser.find_element("id", panel).is_displayed()
    browser.save_screenshot(str(artifacts / "analyse-result.png"))
    toggle = browser.find_element("css selector", "input[data-layer=attributions]")
    toggle.click()
    assert "hide-attributions" in body.get_attribute("class")
    assert not body.find_elements("css selector", ".badge")[0].is_displayed()
    browser.find_element("css selector", "input[data-layer=claims]").click()
    claim = body.find_elements("css selector", ".claim")[0]
    assert claim.value_of_css_property("text-decoration-line") == "none"
    browser.save_screenshot(str(artifacts / "analyse-result-attributions-hidden.png"))


@pytest.mark.slow  # analyses an article: loads the models
def test_xss_through_pasted_article_content_does_not_run(browser, server, artifacts: Path):
    browser.get(server + "/")
    evil = ARTICLE + " " + " ".join(PAYLOADS) + " The end of the story is near."
    browser.execute_script("document.getElementById('text').value = arguments[0];", evil)
    browser.find_element("id", "url").send_keys("https://news.example.com/evil")
    browser.find_element("id", "submit").click()
    body = _wait_for(browser, "article-body")
    assert "onerror" in body.text  # shown as text, not run
    _no_script_ran(browser)
    browser.save_screenshot(str(artifacts / "xss-pasted.png"))


@pytest.mark.slow  # analyses an article: loads the models
def test_xss_through_uploaded_html_does_not_run(browser, server, artifacts: Path, tmp_path):
    page = tmp_path / "evil.html"
    paragraphs = "".join(f"<p>{p}</p>" for p in ARTICLE.split("\n\n")[1:]) * 2
    page.write_text(
        "<!DOCTYPE html><html><head><title>Bridge &lt;script&gt;window.__xss=9&lt;/script&gt;</title>"
        '<script>window.__xss=5</script></head><body onload="window.__xss=6"><article>'
        f'<h1>Bridge <img src=x onerror="window.__xss=7"></h1>{paragraphs}'
        '<p>&lt;img src=x onerror="window.__xss=8"&gt; was in the text.</p></article></body></html>',
        encoding="utf-8",
    )
    browser.get(server + "/")
    browser.find_element("id", "file").send_keys(str(page))
    browser.find_element("id", "submit").click()
    _wait_for(browser, "article-body")
    _no_script_ran(browser)
    browser.save_screenshot(str(artifacts / "xss-upload.png"))


def test_hostile_stored_article_does_not_run(browser, server, artifacts: Path):
    browser.get(server + "/articles/evil")
    _wait_for(browser, "article-body")
    _no_script_ran(browser)
    assert "<script>" in browser.find_element("id", "title").text
    browser.save_screenshot(str(artifacts / "xss-stored-article.png"))


def test_empty_submission_shows_a_clear_message(browser, server, artifacts: Path):
    browser.get(server + "/")
    browser.find_element("id", "submit").click()
    error = _wait_for(browser, "error", timeout=30)
    assert "empty" in error.text and error.get_attribute("data-code") == "empty"
    browser.save_screenshot(str(artifacts / "error-empty.png"))


def test_refused_private_url_shows_a_clear_message(browser, server, artifacts: Path):
    browser.get(server + "/")
    browser.find_element("id", "url").send_keys("http://127.0.0.1:1/admin")
    browser.find_element("id", "submit").click()
    error = _wait_for(browser, "error", timeout=30)
    assert error.get_attribute("data-code") == "private_address"
    assert "--allow-private-urls" in error.text


def test_corpus_and_narrative_pages(browser, server, artifacts: Path):
    browser.get(server + "/corpus")
    rows = browser.find_elements("css selector", "#articles tbody tr")
    assert len(rows) == 2
    browser.save_screenshot(str(artifacts / "corpus.png"))
    browser.get(server + "/narratives/n1")
    bars = browser.find_elements("css selector", "#timeline rect.bar")
    assert len(bars) == 3  # two dated days and the empty one between
    _no_script_ran(browser)
    browser.save_screenshot(str(artifacts / "narrative.png"))


def test_persuasion_colours_matches_and_credits_in_the_browser(browser, server, artifacts: Path):
    browser.get(server + "/articles/m1")
    body = _wait_for(browser, "article-body")
    spans = body.find_elements("css selector", ".p")
    assert spans
    colours = {s.value_of_css_property("background-color") for s in spans}
    assert colours and "rgba(0, 0, 0, 0)" not in colours and len(colours) >= 2
    tips = " ".join(s.get_attribute("title") for s in spans)
    assert "Uses words with strong emotional connotations" in tips
    badge = body.find_element("css selector", ".cbadge.matched")
    assert "False" in badge.text
    assert browser.find_element("id", "credit-euvsdisinfo").is_displayed()
    assert "EUvsDisinfo cases" in browser.find_element("id", "outlet-euvsdisinfo").text
    _no_script_ran(browser)
    browser.save_screenshot(str(artifacts / "matched-article.png"))


def test_corpus_technique_filter_and_trace_page(browser, server, artifacts: Path):
    from selenium.webdriver.support.ui import Select

    browser.get(server + "/corpus")
    Select(browser.find_element("id", "technique")).select_by_value("Loaded_Language")
    browser.find_element("css selector", "#filters button[type=submit]").click()
    _wait_for(browser, "articles")
    assert "technique=Loaded_Language" in browser.current_url
    browser.get(server + "/trace")
    field = browser.find_element("css selector", "#trace-form input[name=text]")
    field.send_keys("250 people")
    browser.find_element("css selector", "#trace-form button").click()
    rows = _wait_for(browser, "matches").find_elements("css selector", "tbody tr")
    assert len(rows) == 1
    _no_script_ran(browser)
    browser.save_screenshot(str(artifacts / "trace.png"))
