"""The shell scanner: which ``$NAME`` a shell or the builder expands, and which
names a shell script sets itself."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dslint.shell import assigned_names, expansions, is_shell_command, scan


def names(text: str) -> list[str]:
    return [e.name for e in scan(text).expansions]


def test_plain_braced_and_default_forms_are_uses_with_their_offsets() -> None:
    text = 'echo $A ${B} ${C:-x} "$D" ${E#*/} ${F/a/b}'
    found = scan(text).expansions
    assert [e.name for e in found] == ["A", "B", "C", "D", "E", "F"]
    assert [text[e.start : e.end] for e in found] == [
        "$A",
        "${B}",
        "${C:-x}",
        "$D",
        "${E#*/}",
        "${F/a/b}",
    ]
    assert [e.operator for e in found] == [None, None, ":-", None, "#", "/"]
    assert found[2].has_default


def test_variables_inside_a_default_word_are_uses_too() -> None:
    assert names("echo ${A:-$B/${C}}") == ["A", "B", "C"]


@pytest.mark.parametrize(
    "text",
    [
        r"echo \$HOME",
        "echo '$HOME'",
        "echo $'tab\\t$HOME'",
        "echo ok # and $HOME in a comment",
        "echo $? $$ $! $# $@ $* $- $0 $1 ${10}",
        "echo ${#HOME} ${!ref}",
        """echo "$(echo '$HOME')" """,
        "echo %HOME% %PATH%",
        "echo ${a.b}",
    ],
)
def test_literal_dollars_specials_and_windows_variables_are_not_uses(text: str) -> None:
    assert names(text) == []


def test_quoted_heredoc_body_is_literal_and_unquoted_body_expands() -> None:
    quoted = "cat <<'EOF' > /f\nit's $NOT_A_USE\nEOF\necho $AFTER\n"
    assert names(quoted) == ["AFTER"]
    unquoted = "cat <<EOF > /f\nit's $USED\nEOF\necho $AFTER\n"
    assert names(unquoted) == ["USED", "AFTER"]


def test_heredoc_data_mode_ignores_quotes() -> None:
    assert [e.name for e in scan("don't $X 'x' \"$Y\"\n", heredoc=True).expansions] == ["X", "Y"]


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("X=1 make", "X"),
        ("export PREFIX=/usr && make", "PREFIX"),
        ("for arch in amd64 arm64; do echo $arch; done", "arch"),
        ("while read -r line rest; do :; done < f", "rest"),
        ("f() { local item; item=$1; }", "item"),
        ("declare -a LIST; typeset -i N", "N"),
        ("getopts 'ab:' opt", "opt"),
        ("printf -v STAMP '%s' now", "STAMP"),
        (': "${CACHE:=/tmp}"', "CACHE"),
        ("(( i++ )); (( total += 2 ))", "total"),
        ("mapfile -t LINES < f", "LINES"),
        ("select choice in a b; do break; done", "choice"),
        ("ARR[0]=x", "ARR"),
    ],
)
def test_names_the_script_sets_are_local(text: str, name: str) -> None:
    assert name in assigned_names(text)
    assert scan(text).is_local(name)


def test_source_eval_and_set_a_make_every_name_possibly_local() -> None:
    for text in (
        ". /etc/os-release && echo $ID",
        "source ./env.sh; echo $X",
        'eval "$(ssh-agent)"; echo $SSH_AUTH_SOCK',
        "set -a; . ./.env; set +a",
        "export $(cat .env | xargs)",
    ):
        assert scan(text).opaque, text
    assert not scan("echo $ID; ./configure").opaque


def test_shell_provided_variables_are_local() -> None:
    result = scan("echo $HOME $PWD $RANDOM $UID")
    assert all(result.is_local(e.name) for e in result.expansions)
    assert not result.is_local("VERSION")


def test_builder_expansion_follows_buildkit_quoting_and_escape() -> None:
    text = "'$A' \"$B\" \\$C ${D:-$E} $F"
    assert [e.name for e in expansions(text)] == ["B", "D", "E", "F"]
    # with the backtick escape directive, a backslash is a plain character
    assert [e.name for e in expansions("`$A \\$B", "`")] == ["B"]


def test_shell_commands() -> None:
    assert is_shell_command("/bin/sh") and is_shell_command("bash")
    assert not is_shell_command("python3")


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="$${}()'\"`\\#:-=+?%/ \nabXY_1<>;&|", max_size=80))
def test_scanning_any_text_never_fails_and_every_use_starts_at_a_dollar(text: str) -> None:
    for found in (scan(text).expansions, scan(text, heredoc=True).expansions, expansions(text)):
        for e in found:
            assert 0 <= e.start < e.end <= len(text)
            assert text[e.start] == "$" and e.name in text[e.start : e.end]
