#!/usr/bin/env bash
# shellcheck disable=SC2016 # the single-quoted strings are jq programs, not shell expansions
# Prints a Markdown summary of `terragrunt run --all --json-out-dir DIR -- plan` for $GITHUB_STEP_SUMMARY: one row
# per unit with what it would create, update, replace and destroy, then the resources behind each number.
# Usage: .github/scripts/plan-summary.sh ENV DIR [OUTCOME]   (OUTCOME: the plan step's outcome, e.g. "failure")
set -euo pipefail
env=$1 dir=$2 outcome=${3:-success}

echo "### Plan of live/$env"
if [[ $outcome != success ]]; then
  printf '\n> [!CAUTION]\n> The plan did not finish (%s): the table lists only the units that were planned; see the job log.\n' "$outcome"
fi

plans=()
[[ -d $dir ]] && mapfile -t plans < <(find "$dir" -type f -name '*.json' | sort)
if ((${#plans[@]} == 0)); then
  printf '\nNo plan files were written.\n'
  exit 0
fi

# Each resource change's action list, as one word: create, update, replace, delete (no-op and read are left out).
actions='[.resource_changes[]? | .change.actions as $a
  | {address, action: (if $a == ["create"] then "create" elif $a == ["update"] then "update"
      elif $a == ["delete"] then "delete" elif ($a | length) == 2 then "replace" else empty end)}]'

printf '\n| Unit | Create | Update | Replace | Destroy |\n| --- | ---: | ---: | ---: | ---: |\n'
for plan in "${plans[@]}"; do
  unit="$(dirname "${plan#"$dir"/}")"
  jq -r --arg unit "$unit" "$actions"' | [map(select(.action == "create")), map(select(.action == "update")),
      map(select(.action == "replace")), map(select(.action == "delete"))] | map(length)
    | "| `\($unit)` | \(.[0]) | \(.[1]) | \(if .[2] > 0 then "**\(.[2])**" else .[2] end) | \(if .[3] > 0 then "**\(.[3])**" else .[3] end) |"' "$plan"
done

printf '\n<details><summary>Changed resources</summary>\n\n'
for plan in "${plans[@]}"; do
  unit="$(dirname "${plan#"$dir"/}")"
  jq -r --arg unit "$unit" "$actions"' | .[] | "- `\($unit)`: \(.action) `\(.address)`"' "$plan"
done
printf '\n</details>\n'
