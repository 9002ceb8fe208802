"""Serving the app to a team: Streamlit listens on this machine only, corpus folders come from an
allow-list, typed paths cannot escape it, and folder listings never show non-text file names."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from geo.corpus import check_corpus_limits, list_corpus_folder, resolve_corpus_path
from geo.errors import CorpusError, CorpusTooLargeError, OutsideCorpusRootsError
from geo.settings import PROJECT_DIR, describe_settings, load_settings


def test_streamlit_listens_on_this_machine_only():
    """What `streamlit run app.py` (without scripts/app.sh) reads from .streamlit/config.toml."""
    code = (
        "import streamlit.config as c; c.get_config_options(force_reparse=True); "
        "print(c.get_option('server.address'), c.get_option('server.enableStaticServing'))"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=PROJECT_DIR, capture_output=True, text=True)
    assert out.stdout.split() == ["127.0.0.1", "True"], out.stderr[-500:]


# ---------------------------------------------------------------- settings


def test_team_settings_come_from_the_environment():
    s = load_settings(
        {
            "ATLAS_CORPUS_ROOTS": os.pathsep.join(["/srv/corpora", "", "~/news"]),
            "ATLAS_ALLOW_PATH_INPUT": "yes",
            "ATLAS_MAX_UPLOAD_FILES": "10",
            "ATLAS_MAX_UPLOAD_MB": "1.5",
        }
    )
    assert s.corpus_roots == (Path("/srv/corpora"), Path("~/news").expanduser())
    assert s.allowed_corpus_roots() == s.corpus_roots
    assert (s.allow_path_input, s.max_upload_files, s.max_upload_mb) == (True, 10, 1.5)
    default = load_settings({"ATLAS_CORPUS": "/data/news"})
    assert default.allowed_corpus_roots() == (Path("/data/news"),)  # the configured corpus only
    assert default.allow_path_input is False  # typing paths is off unless allowed
    with pytest.raises(ValueError, match="ATLAS_ALLOW_PATH_INPUT"):
        load_settings({"ATLAS_ALLOW_PATH_INPUT": "perhaps"})
    shown = {env: value for env, value, _ in describe_settings(s)}
    assert shown["ATLAS_CORPUS_ROOTS"] == os.pathsep.join(map(str, s.corpus_roots))


# ---------------------------------------------------------------- typed paths


@pytest.fixture
def server(tmp_path):
    """A corpus root with a sub-folder, a secret beside it and links that try to lead out."""
    root = tmp_path / "corpora"
    (root / "news").mkdir(parents=True)
    (root / "news" / "a.txt").write_text("萧山区新闻\n", encoding="utf-8")
    secret = tmp_path / "corpora-secret"
    secret.mkdir()
    (secret / "password.md").write_text("hunter2\n", encoding="utf-8")
    (root / "escape").symlink_to(secret)
    (root / "etc").symlink_to("/etc")
    (tmp_path / "root-link").symlink_to(root)
    return root


def test_typed_paths_inside_the_roots_resolve(server):
    assert resolve_corpus_path(str(server / "news"), [server]) == server / "news"
    assert resolve_corpus_path("news/a.txt", [server]) == server / "news" / "a.txt"  # relative: first root
    assert resolve_corpus_path(f"  {server}/news/../news  ", [server]) == server / "news"
    via_link = server.parent / "root-link"
    assert resolve_corpus_path(str(via_link / "news"), [via_link]) == server / "news"


@pytest.mark.parametrize(
    "typed",
    ["/etc/ssl", "../corpora-secret", "{root}-secret/password.md", "escape/password.md", "escape",
     "etc/ssl", "{root}/../corpora-secret", "/nonexistent/anything"],
)  # fmt: skip
def test_typed_paths_outside_the_roots_are_refused(typed, server):
    with pytest.raises(OutsideCorpusRootsError, match="outside the corpus folders") as e:
        resolve_corpus_path(typed.format(root=server), [server])
    assert isinstance(e.value, PermissionError) and "hunter2" not in str(e.value)


def test_bad_typed_paths_are_domain_errors(server):
    for typed, message in (("", "no corpus folder"), ("news/missing", "no such file"), ("a\x00b", "NUL")):
        with pytest.raises(CorpusError, match=message):
            resolve_corpus_path(typed, [server])
    with pytest.raises(OutsideCorpusRootsError):
        resolve_corpus_path(str(server), [])


# ---------------------------------------------------------------- listings and limits


def test_a_folder_listing_counts_non_text_files_without_naming_them(tmp_path):
    (tmp_path / "a.txt").write_text("萧山区新闻\n", encoding="utf-8")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "b.md").write_text("# 标题\n", encoding="utf-8")
    (tmp_path / "credentials.json").write_text('{"password": "hunter2"}', encoding="utf-8")
    (tmp_path / "server.key").write_bytes(b"-----BEGIN PRIVATE KEY-----")
    (tmp_path / "gone.txt").symlink_to(tmp_path / "deleted.txt")
    (tmp_path / "loop.txt").symlink_to(tmp_path / "loop.txt")
    with open(os.fsencode(tmp_path) + b"/" + "新闻.txt".encode("gbk"), "wb") as f:
        f.write("嘉兴新闻\n".encode())
    listing = list_corpus_folder(tmp_path)
    assert [f.relative_to(tmp_path).as_posix() for f in listing.files][:2] == ["a.txt", "gone.txt"]
    assert len(listing.files) == 5 and listing.other_files == 2
    assert listing.text_bytes == sum(f.stat().st_size for f in listing.files if f.is_file())
    assert "credentials" not in repr(listing) and "server.key" not in repr(listing)
    before = listing.fingerprint()
    (tmp_path / "a.txt").write_text("萧山区新闻，更新\n", encoding="utf-8")
    assert list_corpus_folder(tmp_path).fingerprint() != before


def test_uploads_and_folders_over_the_limits_are_refused():
    s = load_settings({"ATLAS_MAX_UPLOAD_FILES": "3", "ATLAS_MAX_UPLOAD_MB": "1"})
    check_corpus_limits(3, 1_000_000, s)
    with pytest.raises(CorpusTooLargeError, match="ATLAS_MAX_UPLOAD_FILES"):
        check_corpus_limits(4, 10, s)
    with pytest.raises(CorpusTooLargeError, match=r"1\.5 MB .*ATLAS_MAX_UPLOAD_MB"):
        check_corpus_limits(1, 1_500_000, s)
