#!/usr/bin/env bash
# The person the blurred-background test films: astronaut Eileen Collins' NASA portrait (public
# domain), as scikit-image ships it in Debian's python3-skimage package — fetched from Debian's
# archive like the test machine's other packages, and nothing else of the package kept.
set -euo pipefail
cd "$(dirname "$0")/.."
target=tests/.artifacts/person-photo.png
[ -f "$target" ] && exit 0
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$work" && apt-get download -qq python3-skimage && dpkg-deb -x python3-skimage_*.deb extracted)
mkdir -p "$(dirname "$target")"
cp "$work"/extracted/usr/lib/python3/dist-packages/skimage/data/astronaut.png "$target"
echo "fetched $target"
