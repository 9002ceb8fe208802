"""Leaflet and its plugins as local files, so the map never loads a CDN at run time.

``python -m geo assets`` (called by scripts/setup.sh) fetches pinned packages from the npm registry
with ``npm pack`` — the registry is the one network source set-up may use — and copies only the
dist files the map needs into :data:`geo.settings.ASSETS_DIR` (top-level ``static/vendor/``, which
Streamlit serves at ``/app/static/vendor`` and which is not in git). ``VERSIONS.json`` records
each package's version and npm integrity hash; a second run with everything in place does nothing.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path

from geo.errors import AtlasError
from geo.settings import ASSETS_DIR


class AssetsError(AtlasError):
    """The local Leaflet assets are missing or cannot be installed."""


@dataclass(frozen=True)
class VendorPackage:
    name: str
    version: str
    #: path inside the npm tarball (below ``package/``) → path below ASSETS_DIR/<name>/
    files: tuple[tuple[str, str], ...]


PACKAGES: tuple[VendorPackage, ...] = (
    VendorPackage(
        "leaflet",
        "1.9.4",
        (
            ("dist/leaflet.js", "leaflet.js"),
            ("dist/leaflet.css", "leaflet.css"),
            ("dist/images/layers.png", "images/layers.png"),
            ("dist/images/layers-2x.png", "images/layers-2x.png"),
            ("dist/images/marker-icon.png", "images/marker-icon.png"),
            ("dist/images/marker-icon-2x.png", "images/marker-icon-2x.png"),
            ("dist/images/marker-shadow.png", "images/marker-shadow.png"),
            ("LICENSE", "LICENSE"),
        ),
    ),
    VendorPackage(
        "leaflet.markercluster",
        "1.5.3",
        (
            ("dist/leaflet.markercluster.js", "leaflet.markercluster.js"),
            ("dist/MarkerCluster.css", "MarkerCluster.css"),
            ("dist/MarkerCluster.Default.css", "MarkerCluster.Default.css"),
            ("MIT-LICENCE.txt", "LICENSE"),
        ),
    ),
)

#: folium's names for its default JS/CSS → our file below ASSETS_DIR (None: not needed, dropped).
#: jQuery/Bootstrap/awesome-markers are only used by folium's Popup and Icon, which the map avoids.
FOLIUM_RESOURCES: dict[str, str | None] = {
    "leaflet": "leaflet/leaflet.js",
    "leaflet_css": "leaflet/leaflet.css",
    "markerclusterjs": "leaflet.markercluster/leaflet.markercluster.js",
    "markerclustercss": "leaflet.markercluster/MarkerCluster.css",
    "markerclusterdefaultcss": "leaflet.markercluster/MarkerCluster.Default.css",
    "jquery": None,
    "bootstrap": None,
    "awesome_markers": None,
    "bootstrap_css": None,
    "glyphicons_css": None,
    "awesome_markers_font_css": None,
    "awesome_markers_css": None,
    "awesome_rotate_css": None,
}

VERSIONS_FILE = "VERSIONS.json"


def required_files(dest: Path = ASSETS_DIR) -> list[Path]:
    return [dest / p.name / target for p in PACKAGES for _, target in p.files]


def installed_versions(dest: Path = ASSETS_DIR) -> dict:
    try:
        return json.loads((dest / VERSIONS_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def assets_ready(dest: Path = ASSETS_DIR) -> bool:
    """True when every pinned package is installed at its pinned version."""
    versions = installed_versions(dest)
    return all(versions.get(p.name, {}).get("version") == p.version for p in PACKAGES) and all(
        f.is_file() for f in required_files(dest)
    )


def asset_path(relative: str, dest: Path = ASSETS_DIR) -> Path:
    """The installed file for a path below ASSETS_DIR, or a clear error telling how to install."""
    path = dest / relative
    if not path.is_file():
        raise AssetsError(f"map asset {relative} is missing in {dest}; run `python -m geo assets`")
    return path


def _npm_pack(spec: str, workdir: Path) -> tuple[Path, dict]:
    npm = shutil.which("npm")
    if npm is None:
        raise AssetsError("npm is not installed; it is needed once to fetch Leaflet")
    try:
        run = subprocess.run(
            [npm, "pack", spec, "--json", "--pack-destination", str(workdir)],
            cwd=workdir,
            capture_output=True,
            text=True,
            timeout=300,
        )
    except subprocess.TimeoutExpired as e:
        raise AssetsError(f"npm pack {spec} timed out") from e
    if run.returncode != 0:
        raise AssetsError(f"npm pack {spec} failed: {run.stderr.strip()[-500:]}")
    info = json.loads(run.stdout[run.stdout.index("[") :])[0]
    return workdir / info["filename"], info


def install_assets(dest: Path = ASSETS_DIR, force: bool = False) -> dict:
    """Fetch the pinned packages with npm and copy their dist files; idempotent unless ``force``.

    Returns the VERSIONS.json content. Files are written to a temporary folder first and moved
    into place only when every package succeeded, so a failed run leaves the old assets intact.
    """
    if assets_ready(dest) and not force:
        return installed_versions(dest)
    dest.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=dest.parent, prefix=".vendor-") as tmp:
        work, staged = Path(tmp) / "npm", Path(tmp) / "vendor"
        work.mkdir()
        versions: dict = {}
        for pkg in PACKAGES:
            tgz, info = _npm_pack(f"{pkg.name}@{pkg.version}", work)
            with tarfile.open(tgz, "r:gz") as tar:
                for source, target in pkg.files:
                    member = tar.extractfile(f"package/{source}")
                    if member is None:
                        raise AssetsError(f"{pkg.name}@{pkg.version} has no {source}")
                    out = staged / pkg.name / target
                    out.parent.mkdir(parents=True, exist_ok=True)
                    out.write_bytes(member.read())
            versions[pkg.name] = {
                "version": info["version"],
                "integrity": info.get("integrity"),
                "source": f"npm registry: {pkg.name}@{info['version']}",
                "files": [t for _, t in pkg.files],
            }
        (staged / VERSIONS_FILE).write_text(json.dumps(versions, indent=2) + "\n", encoding="utf-8")
        if dest.exists():
            shutil.rmtree(dest)
        shutil.move(str(staged), str(dest))
    return versions


def read_text_asset(relative: str, dest: Path = ASSETS_DIR) -> str:
    return asset_path(relative, dest).read_text(encoding="utf-8")


def read_bytes_asset(relative: str, dest: Path = ASSETS_DIR) -> bytes:
    return asset_path(relative, dest).read_bytes()


__all__ = [
    "FOLIUM_RESOURCES",
    "PACKAGES",
    "AssetsError",
    "asset_path",
    "assets_ready",
    "install_assets",
    "installed_versions",
    "read_bytes_asset",
    "read_text_asset",
    "required_files",
]
