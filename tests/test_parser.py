"""The parser: what BuildKit sees, with exact spans."""

from __future__ import annotations

from dslint.model import Span
from dslint.parser import expand, parse, parse_image_ref


def first(text: str, keyword: str, nth: int = 0):  # type: ignore[no-untyped-def]
    found = [i for i in parse(text).instructions if i.keyword == keyword]
    return found[nth]


def test_keyword_flag_and_argument_spans_point_at_the_tokens() -> None:
    ins = first("FROM a AS b\nFROM c\nCOPY  --from=b --chown=1:1 /src /dst\n", "COPY")
    assert ins.keyword_token.span == Span(3, 1, 3, 5)
    flag = ins.flag("from")
    assert flag is not None and flag.value == "b"
    assert flag.span == Span(3, 7, 3, 15)
    assert flag.value_span == Span(3, 14, 3, 15)
    assert [a.text for a in ins.args] == ["/src", "/dst"]
    assert ins.args[0].span == Span(3, 28, 3, 32)
    assert ins.span == Span(3, 1, 3, 37)


def test_continuation_lines_map_columns_back_to_their_own_lines() -> None:
    text = "FROM alpine\nCOPY --from=build \\\n     /out/app \\\n     /app\n"
    ins = first(text, "COPY")
    assert ins.span == Span(2, 1, 4, 10)
    assert ins.args[0].span == Span(3, 6, 3, 14)
    assert ins.args[1].span == Span(4, 6, 4, 10)


def test_comments_and_blank_lines_inside_a_continuation_are_skipped() -> None:
    df = parse("FROM alpine\nRUN echo a \\\n# note\n\n    && echo b\nCMD x\n")
    run = df.instructions[1]
    assert run.args[0].text == "echo a     && echo b"
    assert (run.line, run.end_line) == (2, 5)
    assert df.empty_continuation_lines == [4]
    assert [c.text for c in df.comments] == ["# note"]


def test_escape_directive_switches_to_backtick_continuation() -> None:
    df = parse("# escape=`\nFROM windows\nRUN dir c:\\ `\n    && echo done\n")
    assert df.escape == "`"
    assert df.directive("escape") is not None
    run = df.instructions[1]
    assert run.args[0].text == "dir c:\\     && echo done"
    assert run.end_line == 4


def test_backslash_is_literal_at_end_of_line_with_backtick_escape() -> None:
    df = parse("# escape=`\nFROM windows\nWORKDIR C:\\app\\\nRUN dir\n")
    assert [i.keyword for i in df.instructions] == ["FROM", "WORKDIR", "RUN"]


def test_directives_only_count_at_the_top() -> None:
    df = parse("FROM alpine\n# escape=`\nRUN echo \\\n  ok\n")
    assert df.escape == "\\"
    assert df.directives == []


def test_invalid_escape_and_repeated_directive_are_problems() -> None:
    assert "invalid escape token" in parse("# escape=x\nFROM a\n").problems[0].message
    assert "only one syntax" in parse("# syntax=a\n# syntax=b\nFROM a\n").problems[0].message


def test_crlf_bom_and_tabs() -> None:
    df = parse("\ufeffFROM alpine AS base\r\nRUN\techo hi \\\r\n\t&& echo there\r\n")
    assert df.text.startswith("FROM")
    run = df.instructions[1]
    assert run.args[0].text == "echo hi \t&& echo there"
    assert run.span == Span(2, 1, 3, 15)
    assert df.stages[0].name is not None and df.stages[0].name.text == "base"


def test_heredoc_bodies_are_data_not_instructions() -> None:
    text = 'FROM alpine\nRUN <<EOF\nFROM scratch\nCOPY --from=x / /\nEOF\nCMD ["sh"]\n'
    df = parse(text)
    assert [i.keyword for i in df.instructions] == ["FROM", "RUN", "CMD"]
    run = df.instructions[1]
    assert run.heredocs[0].name == "EOF"
    assert run.heredocs[0].body == "FROM scratch\nCOPY --from=x / /\n"
    assert run.heredocs[0].body_line == 3
    assert run.span == Span(2, 1, 5, 4)


def test_several_heredocs_chomp_quoting_and_commands_after_the_word() -> None:
    text = "FROM a\nRUN <<-ONE cat && <<'TWO' python3 -\n\tone\n\tONE\nprint($x)\nTWO\n"
    run = first(text, "RUN")
    one, two = run.heredocs
    assert (one.name, one.chomp, one.expand) == ("ONE", True, True)
    assert one.content == "one\n"
    assert (two.name, two.chomp, two.expand) == ("TWO", False, False)
    assert two.body == "print($x)\n"
    assert run.end_line == 6


def test_heredoc_markers_inside_quotes_or_words_are_not_heredocs() -> None:
    run = first('FROM a\nRUN echo "<<EOF" && cat<<EOF\nCMD x\n', "RUN")
    assert run.heredocs == ()


def test_unterminated_heredoc_is_a_problem_and_swallows_the_rest() -> None:
    df = parse("FROM a\nRUN <<EOF\necho\nCMD x\n")
    assert [i.keyword for i in df.instructions] == ["FROM", "RUN"]
    assert "unterminated heredoc" in df.problems[0].message
    assert df.problems[0].span.line == 2


def test_exec_form_and_shell_form() -> None:
    cmd = first('FROM a\nCMD ["node", "server.js"]\n', "CMD")
    assert cmd.json and [a.text for a in cmd.args] == ["node", "server.js"]
    shell = first("FROM a\nCMD node server.js\n", "CMD")
    assert not shell.json and [a.text for a in shell.args] == ["node server.js"]
    broken = first('FROM a\nCMD ["node", server.js]\n', "CMD")
    assert not broken.json  # not valid JSON: BuildKit runs it as a shell command


def test_mount_flags_are_parsed_with_their_keys() -> None:
    run = first(
        "FROM a AS deps\nFROM b\nRUN --mount=type=cache,target=/root/.cache "
        "--mount=from=deps,source=/out,target=/in make\n",
        "RUN",
    )
    cache, bind = run.mounts
    assert cache.type == "cache" and cache.target == "/root/.cache"
    assert bind.type == "bind" and bind.from_ == "deps"
    assert bind.from_span is not None
    line = (
        "RUN --mount=type=cache,target=/root/.cache --mount=from=deps,source=/out,target=/in make"
    )
    assert line[bind.from_span.column - 1 : bind.from_span.end_column - 1] == "deps"


def test_env_label_and_arg_key_values() -> None:
    df = parse('ARG A B=2\nFROM x\nENV K1=v1 K2="v 2"\nENV OLD legacy value\nLABEL "a b"=c\n')
    arg = df.global_args[0]
    assert [(kv.key, kv.value) for kv in arg.key_values] == [("A", None), ("B", "2")]
    env = df.instructions[2]
    assert [(kv.key, kv.value) for kv in env.key_values] == [("K1", "v1"), ("K2", '"v 2"')]
    legacy = df.instructions[3].key_values[0]
    assert (legacy.key, legacy.value, legacy.legacy) == ("OLD", "legacy value", True)
    assert df.instructions[4].key_values[0].key == '"a b"'


def test_onbuild_holds_its_instruction() -> None:
    ins = first("FROM a\nONBUILD COPY --from=b x y\n", "ONBUILD")
    assert ins.inner is not None and ins.inner.keyword == "COPY"
    assert ins.inner.flag("from") is not None


def test_stages_names_and_bases() -> None:
    df = parse(
        "ARG BASE=builder\nFROM golang:1.22 AS Builder\nFROM ${BASE} AS x\n"
        "FROM builder AS y\nFROM Builder AS z\nFROM scratch\n"
    )
    s = df.stages
    assert [st.label for st in s] == ["Builder", "x", "y", "z", "stage-4"]
    assert s[0].alias == "builder" and s[0].base_image is not None
    assert s[0].base_image.repository == "golang" and s[0].base_image.tag == "1.22"
    assert s[1].base_stages == (0,)  # global ARG default names the stage
    assert s[2].base_stages == (0,)  # FROM <stage> matches the lowercased alias
    assert s[3].base_stages == ()  # FROM Builder: case-sensitive, pulls an image
    assert s[4].base_image is not None and s[4].base_image.is_scratch


def test_from_with_a_platform_variable_may_name_several_stages() -> None:
    df = parse(
        "FROM alpine AS binary-linux\nFROM alpine AS binary-darwin\nFROM binary-$TARGETOS AS out\n"
    )
    assert df.stages[2].base_stages == (0, 1)


def test_image_references() -> None:
    ref = parse_image_ref("ghcr.io/acme/app:1.2@sha256:abc")
    assert (ref.registry, ref.repository, ref.tag, ref.digest) == (
        "ghcr.io",
        "acme/app",
        "1.2",
        "sha256:abc",
    )
    local = parse_image_ref("localhost:5000/app")
    assert (local.registry, local.repository, local.tag) == ("localhost:5000", "app", None)
    assert parse_image_ref("node:20-alpine").name == "node"


def test_expansion_follows_buildkit_forms() -> None:
    values: dict[str, str | None] = {"A": "a", "E": ""}
    assert expand("${A}-${B:-b}-${E:-e}-${E-e}-${A:+alt}-${B+x}", values) == "a-b-e--alt-"
    assert expand("\\$A $A", values) == "$A a"
    assert expand("$B", values, unknown=None) == "$B"


def test_what_buildkit_rejects_becomes_problems() -> None:
    def messages(text: str) -> list[str]:
        return [p.message for p in parse(text).problems]

    assert messages("") == ["file with no instructions"]
    assert messages("# only a comment\n") == ["file with no instructions"]
    assert "unknown instruction: RUNN (did you mean RUN?)" in messages("FROM a\nRUNN x\n")
    assert any("before the first FROM" in m for m in messages("RUN x\nFROM a\n"))
    assert any("FROM requires" in m for m in messages("FROM a b\n"))
    assert any(
        "arrays must be comprised of strings" in m for m in messages('FROM a\nCMD ["a", 1]\n')
    )
    assert messages("ARG V=1\nFROM a:${V}\nRUN x\n") == []


def test_unterminated_quotes_are_problems_but_nested_shell_quoting_is_not() -> None:
    def messages(text: str) -> list[str]:
        return [p.message for p in parse("FROM alpine\n" + text).problems]

    assert messages("RUN echo 'unclosed\n") == [
        "unterminated ' quote: the shell will stop with a syntax error"
    ]
    assert messages('ENV GREETING="hello\n') == ["unterminated quote in the value of GREETING"]
    assert messages('RUN echo "$(sed -n "s/x/y/p" file)" # it\'s fine\n') == []
    assert messages("RUN echo $'it\\'s' `echo \"x\"`\n") == []
    assert messages('CMD ["node", "server.js"]\n') == []


def test_platform_args_select_only_stages_named_for_a_platform() -> None:
    df = parse(
        "ARG FLAVOR=${TARGETARCH}\n"
        "FROM alpine AS tool-src\nFROM alpine AS tool-linux\nFROM alpine AS tool-windows\n"
        "FROM alpine AS amd64\nFROM alpine AS arm64\nFROM alpine AS docs\n"
        "FROM tool-${TARGETOS} AS tool\nFROM ${FLAVOR} AS flavored\n"
    )
    tool, flavored = df.stages[6], df.stages[7]
    assert [df.stages[i].label for i in tool.base_stages] == ["tool-linux", "tool-windows"]
    assert [df.stages[i].label for i in flavored.base_stages] == ["amd64", "arm64"]
    assert flavored.base_expanded == "${TARGETARCH}"
