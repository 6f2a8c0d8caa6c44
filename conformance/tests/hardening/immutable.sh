#!/bin/bash
# immutable.sh CONFORM WORKDIR IMAGE... - luo-conform never modifies, and
# never opens for writing, the images it checks (TAP, one test per image).
#
# The images are copied to WORKDIR, made 0444 and hashed (SHA-256); then
# luo-conform checks all copies at once under strace, inside a mount
# namespace where WORKDIR is bind-mounted read-only (root ignores 0444, a
# read-only mount it does not; without unshare the 0444 copies alone
# guard it).  An image passes when its hash is unchanged, the original in
# the tree is unchanged too, and every open of it was O_RDONLY.
set -u
conform=$1 work=$2; shift 2
rm -rf "$work" && mkdir -p "$work/img" || exit 1
echo "1..$(($# + 1))"
i=0
for f in "$@"; do
	i=$((i + 1))
	cp "$f" "$work/img/$i.img"
done
chmod 0444 "$work"/img/*.img
sha256sum "$@" > "$work/orig.before"
(cd "$work/img" && sha256sum *.img) > "$work/copy.before"
run() {
	strace -f -qq -e trace=open,openat,openat2 -o "$work/strace.log" \
		"$conform" check -q "$work"/img/*.img > "$work/out.log" 2>&1
	echo $? > "$work/rc"
}
ro=no
if [ "$(id -u)" = 0 ] && unshare -m true 2>/dev/null; then
	ro=yes
	export -f run
	export conform work
	unshare -m bash -c 'mount --bind "$work/img" "$work/img" &&
		mount -o remount,bind,ro "$work/img" && run'
else
	run
fi
rc=$(cat "$work/rc" 2>/dev/null || echo none)
echo "# luo-conform exited $rc on $# images (read-only bind mount: $ro)"
sha256sum "$@" > "$work/orig.after"
(cd "$work/img" && sha256sum *.img) > "$work/copy.after"
bad=0
i=0
for f in "$@"; do
	i=$((i + 1))
	why=""
	b=$(grep " $i.img\$" "$work/copy.before" | cut -d' ' -f1)
	a=$(grep " $i.img\$" "$work/copy.after" | cut -d' ' -f1)
	[ -n "$b" ] && [ "$b" = "$a" ] || why="copy changed"
	grep -qxF "$(grep -F " $f" "$work/orig.before" | head -1)" "$work/orig.after" || why="$why original changed"
	opens=$(grep -E "\"[^\"]*/img/$i\.img\"" "$work/strace.log")
	[ -n "$opens" ] || why="$why never opened"
	if echo "$opens" | grep -qE 'O_(WRONLY|RDWR|CREAT|TRUNC|APPEND)'; then
		why="$why opened for writing"
	fi
	if [ -z "$why" ]; then
		echo "ok $i - $f unchanged, opened read-only"
	else
		bad=$((bad + 1))
		echo "not ok $i - $f:$why"
	fi
done
case "$rc" in
0|1|2) echo "ok $((i + 1)) - luo-conform exited $rc" ;;
*) echo "not ok $((i + 1)) - luo-conform exited $rc"; bad=$((bad + 1)); head -5 "$work/out.log" | sed 's/^/# /' ;;
esac
[ "$bad" -eq 0 ]
