# capture-lib.sh - shell helpers of the capture tests (sourced by bash).

# note_args IMAGE: "--kho-root A --page-size N [--profile P]" from the
# image's LUO note, whose descriptor readelf prints as hex bytes in the
# ELF's byte order (spec/abi/image.yaml: root u64, root size u64, page
# size u32, flags u32, profile char[32]).  Fails without a note.
note_args() {
	local line be=0 b=() i v root=0 ps=0 prof=""

	while IFS= read -r line; do
		case $line in
		*"Data:"*"big endian"*) be=1 ;;
		*"(0x00004c55)"*"description data:"*) read -r -a b <<< "${line##*description data: }" ;;
		esac
	done < <(readelf -h -n --wide "$1" 2>/dev/null)
	[ ${#b[@]} -ge 56 ] || return 1
	for i in 0 1 2 3 4 5 6 7; do	# root: bytes 0..7
		v=$((be ? i : 7 - i)); root=$(( (root << 8) | 16#${b[$v]} ))
	done
	for i in 0 1 2 3; do		# page size: bytes 16..19
		v=$((be ? 16 + i : 19 - i)); ps=$(( (ps << 8) | 16#${b[$v]} ))
	done
	for ((i = 24; i < 56; i++)); do	# profile: bytes 24..55, NUL-padded
		[ "${b[$i]}" = 00 ] && break
		printf -v v "\\x${b[$i]}"; prof+=$v
	done
	printf -- '--kho-root 0x%x --page-size %d' "$root" "$ps"
	[ -n "$prof" ] && printf -- ' --profile %s' "$prof"
	return 0
}

# ktap_split IMAGE... DIR: check every IMAGE in one run and write each
# one's KTAP test (its "# " lines and its result line, the name dropped:
# the images compared have different paths) to DIR/1, DIR/2, ...
ktap_split() {
	local dir=${!#}
	mkdir -p "$dir"
	"$conform" check --format=ktap "${@:1:$#-1}" 2>/dev/null | awk -v dir="$dir" '
		NR <= 2 || /^# Totals:/ { next }
		/^(not )?ok [0-9]+ / { sub(/ [^ ]*$/, " IMAGE") }
		{ buf = buf $0 "\n" }
		/^(not )?ok [0-9]+ / { n++; printf "%s", buf > (dir "/" n); close(dir "/" n); buf = "" }'
}
