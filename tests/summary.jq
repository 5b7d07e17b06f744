# The -s -j rows of process $pid, added up by op over every interval, as
# lines to compare with the truth of "workload summary":
#   row OP COUNT ERRORS BYTES ERRNOS   ERRNOS as NAME:N,... or -
#   max OP NS                          the op's largest max_ns
#   bucket OP LOW_NS COUNT             with -H: each non-empty bucket
#   comm COMM                          each comm the rows give
#   others N                           rows of other processes
#   span START END                     each interval the rows come from
map(select(.type == "summary")) as $all
| ($all | map(select(.pid == $pid))) as $mine
| ($mine | group_by(.op) | map({
	op: (.[0].op | sub("^IORING_OP_"; "")),
	count: (map(.count) | add),
	errors: (map(.errors) | add),
	bytes: (map(.bytes) | add),
	errnos: ([.[].errnos | to_entries[]] | group_by(.key)
		 | map("\(.[0].key):\(map(.value) | add)") | join(",")),
	max: (map(.max_ns) | max),
	hist: ([.[] | .hist // [] | .[]] | group_by(.low_ns)
	       | map({low: .[0].low_ns, n: (map(.count) | add)}))
  })) as $ops
| ($ops[] | "row\t\(.op)\t\(.count)\t\(.errors)\t\(.bytes)\t\(if .errnos == "" then "-" else .errnos end)"),
  ($ops[] | "max\t\(.op)\t\(.max)"),
  ($ops[] | .op as $op | .hist[] | "bucket\t\($op)\t\(.low)\t\(.n)"),
  ($mine | map(.comm) | unique[] | "comm\t\(.)"),
  "others\t\($all | map(select(.pid != $pid)) | length)",
  ($mine | map("span\t\(.interval_start)\t\(.interval_end)") | unique[])
