#!/bin/bash
# fetch-source.sh APT_DIR [CACHED_DEB]
#
# Prints the path of Debian's linux-source-7.2 package (.deb), for the
# real-kernel slices (build-kernel.sh, consumer/build-arm64.sh): one
# downloaded before into APT_DIR, else CACHED_DEB when that file exists,
# else a fresh download from sid through a private apt configuration under
# APT_DIR (its own sources list, lists and cache): the machine's apt
# configuration is never read or changed.
set -euo pipefail

apt_dir=$1 cached=${2:-}
pkg=linux-source-7.2

mkdir -p "$apt_dir/lists/partial" "$apt_dir/cache/archives/partial"
deb=$(ls "$apt_dir"/cache/archives/${pkg}_*_all.deb 2>/dev/null | tail -1 || true)
if [ -z "$deb" ] && [ -n "$cached" ] && [ -f "$cached" ]; then
	deb=$cached
fi
if [ -z "$deb" ]; then
	echo 'deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian sid main' \
		> "$apt_dir/sources.list"
	opts=(-o Dir::Etc::SourceList="$apt_dir/sources.list"
		-o Dir::Etc::SourceParts=/dev/null
		-o Dir::State::Lists="$apt_dir/lists"
		-o Dir::Cache="$apt_dir/cache")
	apt-get "${opts[@]}" update -q >&2
	(cd "$apt_dir/cache/archives" && apt-get "${opts[@]}" download "$pkg" >&2)
	deb=$(ls "$apt_dir"/cache/archives/${pkg}_*_all.deb | tail -1)
fi
echo "$deb"
