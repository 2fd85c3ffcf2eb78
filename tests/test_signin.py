"""Sign-in on a cohort's deployment, in a real browser against a real OpenID provider (oidc-provider-mock on a
loopback port): two replicas over one PostgreSQL, two learners each seeing only their own mistake log, a trainer
seeing the cohort's numbers (one listed by identity, one a member of a trainers' group in the token's claims), a
signed-out visitor seeing only the sign-in page; the other learner's pages, every one of them, and the mistake log
he downloads show nothing of the first's."""
from __future__ import annotations

import csv
import io
import json
import os
import re
import urllib.request

import pytest
from test_browser import CHROMIUM, CHROMIUM_ARGS, LOAD_TIMEOUT, _go, _miss_one

from studyassist.bench import servers
from studyassist.knowledge.model import KnowledgeBase
from studyassist.settings import Settings
from studyassist.study.export import csv_file
from studyassist.study.progress import ProgressStore
from studyassist.ui.session import PAGES

pytestmark = [pytest.mark.slow, pytest.mark.browser,
              pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium at /usr/bin/chromium")]


def _secrets(path, port: int, provider: str) -> str:
    path.write_text(f'''[auth]
redirect_uri = "http://127.0.0.1:{port}/oauth2callback"
cookie_secret = "a-cookie-secret-for-this-test-only-0123456789"
client_id = "studyassist"
client_secret = "test-only"
server_metadata_url = "{provider}/.well-known/openid-configuration"
''')
    return str(path)


def _sign_in(page, url: str, who: str) -> None:
    page.goto(url)
    page.get_by_role("button", name="Sign in").click(timeout=LOAD_TIMEOUT)
    page.wait_for_url(re.compile(r".*/oauth2/authorize.*"), timeout=30_000)
    page.fill("input[name=sub]", who)
    page.get_by_role("button", name="Authorize").click()
    page.get_by_text(f"Signed in as {who}").wait_for(timeout=LOAD_TIMEOUT)


def _put_user(issuer: str, sub: str, claims: dict) -> None:
    """Gives the provider's user ``sub`` these claims (oidc-provider-mock's PUT /users/<sub>)."""
    request = urllib.request.Request(f"{issuer}/users/{sub}", data=json.dumps(claims).encode(), method="PUT",
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=10) as reply:
        assert reply.status == 204


def _downloaded_csv(page) -> bytes:
    with page.expect_download(timeout=LOAD_TIMEOUT) as download:
        page.get_by_role("button", name="CSV", exact=True).click()
    return download.value.path().read_bytes()


def test_each_learner_sees_only_their_own_log_and_a_visitor_only_the_sign_in_page(built_home, postgres_server,
                                                                                  tmp_path):
    import oidc_provider_mock
    from playwright.sync_api import expect, sync_playwright

    with oidc_provider_mock.run_server_in_thread() as provider:
        issuer = f"http://127.0.0.1:{provider.server_port}"
        env = {k: v for k, v in os.environ.items() if not k.startswith("STUDYASSIST_")}
        env.update(STUDYASSIST_HOME=str(built_home), STUDYASSIST_CACHE_DIR=os.environ["STUDYASSIST_CACHE_DIR"],
                   STUDYASSIST_DATABASE_URL=postgres_server.url(), STUDYASSIST_TRAINERS="coach@example.com",
                   STUDYASSIST_TRAINER_GROUPS="mlops-trainers", HF_HUB_OFFLINE="1")
        _put_user(issuer, "lead@example.com", {"email": "lead@example.com", "groups": ["staff", "MLOps-Trainers"]})
        ports = [servers.free_port(), servers.free_port()]
        procs = [servers.streamlit_app(p, env, open(tmp_path / f"app-{p}.log", "w"),
                                       ("--secrets.files", _secrets(tmp_path / f"secrets-{p}.toml", p, issuer)))
                 for p in ports]
        try:
            for p, proc in zip(ports, procs):
                servers.wait_for_http(f"http://127.0.0.1:{p}/_stcore/health", proc, timeout=90, what="replica")
            a, b = (f"http://127.0.0.1:{p}" for p in ports)
            with sync_playwright() as pw:
                browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
                try:
                    visitor = browser.new_context().new_page()
                    visitor.goto(a)
                    expect(visitor.get_by_role("button", name="Sign in")).to_be_visible(timeout=LOAD_TIMEOUT)
                    expect(visitor.get_by_text("Learner profile")).to_have_count(0)  # no page, no profile
                    expect(visitor.get_by_role("heading", name="Ask")).to_have_count(0)

                    alice = browser.new_context().new_page()
                    _sign_in(alice, a, "alice@example.com")
                    expect(alice.get_by_text("Learner profile")).to_have_count(0)  # no picker: her own profile only
                    _go(alice, "Practise")
                    _miss_one(alice)
                    alice.get_by_role("button", name="Next question").click()
                    expect(alice.get_by_role("button", name="Submit")).to_be_enabled(timeout=30_000)
                    _miss_one(alice)  # two misses: two rows in her log (one rule is not asked twice in a session)

                    bob = browser.new_context().new_page()  # another learner, on the other replica
                    _sign_in(bob, b, "bob@example.com")
                    for name in PAGES:  # nothing of alice's on any of his pages
                        _go(bob, name)
                        expect(bob.get_by_text("alice@example.com")).to_have_count(0)
                    expect(bob.get_by_text(re.compile(r"^Your profile: bob@example\.com \(0 answers recorded\)"))
                           ).to_be_visible()
                    expect(bob.get_by_role("button", name=re.compile("Delete profile"))).to_have_count(0)
                    _go(bob, "Review")
                    expect(bob.get_by_text("No missed rules yet for profile “bob@example.com”")).to_be_visible(
                        timeout=LOAD_TIMEOUT)
                    expect(bob.get_by_test_id("stSidebar").get_by_text("Cohort", exact=True)).to_have_count(0)
                    _go(bob, "Practise")
                    _miss_one(bob)
                    _go(bob, "Review")
                    downloaded = _downloaded_csv(bob)  # his own deck's CSV: his one missed rule, none of hers
                    _go(alice, "Review")
                    expect(alice.get_by_role("heading", name="Mistake log")).to_be_visible(timeout=LOAD_TIMEOUT)

                    coach = browser.new_context().new_page()  # a trainer, on the other replica: numbers only
                    _sign_in(coach, b, "coach@example.com")
                    _go(coach, "Cohort")
                    expect(coach.get_by_text("Rules most learners miss")).to_be_visible(timeout=LOAD_TIMEOUT)
                    expect(coach.get_by_text("alice@example.com")).to_have_count(0)

                    lead = browser.new_context().new_page()  # a trainer by group claim, not listed by identity
                    _sign_in(lead, a, "lead@example.com")
                    _go(lead, "Cohort")
                    expect(lead.get_by_text("Rules most learners miss")).to_be_visible(timeout=LOAD_TIMEOUT)
                finally:
                    browser.close()
        finally:
            for proc in procs:
                servers.stop(proc)
    store = ProgressStore(url=env["STUDYASSIST_DATABASE_URL"])
    kb = KnowledgeBase.load(Settings(home=built_home).kb_path)
    bobs, alices = (csv_file(store, kb, who) for who in ("bob@example.com", "alice@example.com"))
    assert (bobs[1], alices[1]) == (1, 2)
    assert downloaded == bobs[0]
    assert len(list(csv.reader(io.StringIO(downloaded.decode())))) == 2  # the header and his one rule
