/**
 * The POSIX sh function `rewrite_dockerfile IN OUT ENV_FILE BASE [stage=image ...]` of the build
 * step (sh and sed only: it runs in buildah's image). It writes IN to OUT with:
 * - the image of the LAST `FROM` (the stage that becomes the image) replaced by BASE, when BASE is
 *   not empty: OpenShift's rule for a Docker strategy's `from`;
 * - the image of each named stage (`FROM … AS name`) replaced by its `stage=image` item: beyond
 *   OpenShift. A named stage that is also the last one takes its item, not BASE. An item naming no
 *   stage of the Dockerfile fails, listing the stages there are;
 * - ENV_FILE's lines (ENV instructions) after every FROM instruction.
 * Instructions are told apart from the lines of continued instructions (the escape character, `\`
 * or the `# escape=` directive's), comments and heredoc bodies (`<<EOF`, `<<-"EOF"`), so that a RUN
 * line that says "from" is never taken for a FROM.
 * `final_base FILE` prints the image the last stage starts from (for the provenance labels).
 * The calling script defines `fail`.
 */
export const DOCKERFILE_REWRITE_SH = `# from_parts LINE: _flags (e.g. " --platform=linux/amd64"), _image, _stage (lowercase; '' if unnamed).
from_parts() {
  _flags=; _image=; _stage=
  set -f
  # shellcheck disable=SC2086 # split the FROM line into its words
  set -- $1
  set +f
  shift
  while [ $# -gt 0 ]; do case "$1" in --*) _flags="$_flags $1"; shift;; *) break;; esac; done
  _image="\${1-}"
  if [ $# -ge 3 ]; then
    case "$2" in [Aa][Ss]) _stage="$(printf '%s' "$3" | tr 'A-Z' 'a-z')";; esac
  fi
}

# dockerfile_pass FILE MODE: MODE scan counts FROMs (_froms) and collects stage names (_names);
# MODE write prints the rewritten Dockerfile (needs _froms, _base, _stages and _envfile).
dockerfile_pass() {
  _n=0; _cont=false; _heredoc=; _pending=; _strip=false; _esc='\\'; _directives=true; _after_from=false
  while IFS= read -r _line || [ -n "$_line" ]; do
    if [ -n "$_heredoc" ]; then
      [ "$2" = scan ] || printf '%s\\n' "$_line"
      _word="$_line"
      [ "$_strip" = false ] || _word="\${_line#"\${_line%%[!	]*}"}"
      [ "$_word" != "$_heredoc" ] || _heredoc=
      continue
    fi
    _text="\${_line#"\${_line%%[![:blank:]]*}"}"
    if [ "$_directives" = true ]; then
      case "$_text" in
        '#'*) _d="$(printf '%s' "$_text" | sed -n 's/^#[[:blank:]]*[Ee][Ss][Cc][Aa][Pp][Ee][[:blank:]]*=[[:blank:]]*\\([\\\\\`]\\)[[:blank:]]*$/\\1/p')"
          [ -z "$_d" ] || _esc="$_d";;
        *) _directives=false;;
      esac
    fi
    case "$_text" in
      ''|'#'*) [ "$2" = scan ] || printf '%s\\n' "$_line"; continue;;
    esac
    _is_from=false
    if [ "$_cont" = false ]; then
      case "$_text" in
        [Ff][Rr][Oo][Mm][[:blank:]]*) _is_from=true; _n=$((_n + 1));;
        [Rr][Uu][Nn][[:blank:]]*|[Cc][Oo][Pp][Yy][[:blank:]]*|[Aa][Dd][Dd][[:blank:]]*)
          _pending="$(printf '%s' "$_text" | sed -n "s/.*<<\\\\(-\\\\{0,1\\\\}\\\\)[\\"']\\\\{0,1\\\\}\\\\([A-Za-z_][A-Za-z0-9_]*\\\\).*/\\\\1 \\\\2/p")";;
      esac
    fi
    _trimmed="\${_text%"\${_text##*[![:blank:]]}"}"
    case "$_trimmed" in *"$_esc") _cont=true;; *) _cont=false;; esac
    if [ "$_is_from" = true ]; then
      from_parts "$_text"
      if [ "$2" = scan ]; then
        _names="$_names\${_stage:+$_stage }"
        _stage_froms="$_stage_froms\${_stage:+ $_stage=$_image}"
        _last_image="$_image"
      else
        _new=
        [ -z "$_stage" ] || _new="$(stage_image "$_stage")"
        [ -n "$_new" ] || [ "$_n" -ne "$_froms" ] || _new="$_base"
        if [ -n "$_new" ]; then
          [ "$_cont" = false ] || fail "the FROM of \${_stage:-the last stage} goes on over several lines: write it on one line to have its image replaced"
          printf 'FROM%s %s%s\\n' "$_flags" "$_new" "\${_stage:+ AS $_stage}"
        else
          printf '%s\\n' "$_line"
        fi
      fi
      _after_from=true
    elif [ "$2" = write ]; then
      printf '%s\\n' "$_line"
    fi
    if [ "$_cont" = false ]; then
      if [ "$_after_from" = true ] && [ "$2" = write ]; then cat "$_envfile"; fi
      _after_from=false
      if [ -n "$_pending" ]; then
        _strip=false; [ "\${_pending%% *}" != - ] || _strip=true
        _heredoc="\${_pending#* }"; _pending=
      fi
    fi
  done < "$1"
  [ "$2" = write ] || _froms=$_n
}

# stage_image NAME: the image of the stage=image item for NAME, if any.
stage_image() {
  for _item in $_stages; do
    case "$_item" in "$1="*) printf '%s' "\${_item#*=}"; return 0;; esac
  done
}

rewrite_dockerfile() {
  _envfile="$3"; _base="$4"; _in="$1"; _out="$2"; shift 4
  _stages="$*"; _names=' '; _stage_froms=
  dockerfile_pass "$_in" scan
  [ "$_froms" -gt 0 ] || fail "the Dockerfile has no FROM instruction"
  for _item in $_stages; do
    case "$_names" in *" \${_item%%=*} "*) ;; *)
      _have="$(printf '%s' "$_names" | sed 's/^ *//; s/ *$//; s/ /, /g')"
      fail "param STAGE_IMAGES names stage '\${_item%%=*}', which the Dockerfile does not have (its named stages: \${_have:-none}; name one with FROM image AS name)";;
    esac
  done
  dockerfile_pass "$_in" write > "$_out"
}

# final_base FILE: the image the last stage starts from, a stage it names followed back to its image;
# nothing for scratch, or for an image named by a build ARG (\$), which only buildah resolves.
final_base() {
  _names=' '; _stage_froms=; _last_image=
  dockerfile_pass "$1" scan
  _img="$_last_image"; _hops=0
  while [ "$_hops" -lt "$_froms" ]; do
    _low="$(printf '%s' "$_img" | tr 'A-Z' 'a-z')"; _next=
    for _item in $_stage_froms; do case "$_item" in "$_low="*) _next="\${_item#*=}";; esac; done
    [ -n "$_next" ] || break
    _img="$_next"; _hops=$((_hops + 1))
  done
  case "$_img" in ''|scratch|*'$'*) ;; *) printf '%s' "$_img";; esac
}`;
