import io

from bot.export import Progress


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_bar_on_a_terminal_for_large_exports() -> None:
    stream = Terminal()
    progress = Progress(10_000, stream)
    progress.update(5_000)
    progress.update(10_000)
    progress.close()
    text = stream.getvalue()
    assert " 50%  5,000/10,000 rows" in text
    assert "100%  10,000/10,000 rows" in text
    assert text.endswith("\n")


def test_no_progress_bar_when_piped_or_small() -> None:
    piped = io.StringIO()
    Progress(10_000, piped).update(5_000)
    small = Terminal()
    Progress(10, small).update(5)
    assert piped.getvalue() == ""
    assert small.getvalue() == ""
