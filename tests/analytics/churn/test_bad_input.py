"""Bad input to ``kehu churn …``: one ``error:`` line naming the column or row, exit code 2,
no traceback, and no model or score file written."""

from __future__ import annotations

import pandas as pd
import pytest

from kehu.analytics.churn import cli


def run(main, argv, capsys) -> tuple[int, str]:
    code = main([*argv, "--n-jobs", "1"])
    err = capsys.readouterr().err
    return code, err


def one_line(err: str) -> str:
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("error: ")
    assert "Traceback" not in err
    return lines[0]


def test_unknown_label_column(telecom_csv, tmp_path, capsys):
    model = tmp_path / "m.kehu"
    argv = ["--data", str(telecom_csv), "--label", "Left", "--id", "customerID"]
    code, err = run(cli.fit_main, [*argv, "--model", str(model)], capsys)
    assert code == 2
    assert "'Left'" in one_line(err)
    assert not model.exists()


def test_label_with_one_class(tmp_path, capsys):
    data = tmp_path / "one.csv"
    pd.DataFrame({"id": range(50), "x": range(50), "churn": ["No"] * 50}).to_csv(data, index=False)
    model = tmp_path / "m.kehu"
    argv = ["--data", str(data), "--label", "churn", "--id", "id", "--model", str(model)]
    code, err = run(cli.fit_main, argv, capsys)
    assert code == 2
    line = one_line(err)
    assert "'churn'" in line and "one class" in line
    assert not model.exists()


def test_blank_label_names_the_line(tmp_path, capsys):
    data = tmp_path / "blank.csv"
    labels = ["Yes", "No"] * 20
    labels[6] = ""
    pd.DataFrame({"id": range(40), "x": range(40), "churn": labels}).to_csv(data, index=False)
    argv = ["--data", str(data), "--label", "churn", "--id", "id"]
    code, err = run(cli.fit_main, [*argv, "--model", str(tmp_path / "m")], capsys)
    assert code == 2
    assert one_line(err).startswith("error: line 8: column 'churn' is blank")


def test_empty_file(tmp_path, capsys):
    data = tmp_path / "empty.csv"
    data.write_text("")
    argv = ["--data", str(data), "--label", "churn", "--id", "id", "--model", str(tmp_path / "m")]
    code, err = run(cli.fit_main, argv, capsys)
    assert code == 2
    assert "empty" in one_line(err)


def test_header_only_file(tmp_path, capsys):
    data = tmp_path / "header.csv"
    data.write_text("id,x,churn\n")
    argv = ["--data", str(data), "--label", "churn", "--id", "id", "--model", str(tmp_path / "m")]
    code, err = run(cli.fit_main, argv, capsys)
    assert code == 2
    assert "no data rows" in one_line(err)


def test_score_names_the_missing_model_column(fitted, telecom_new_csv, tmp_path, capsys):
    model, _ = fitted
    frame = pd.read_csv(telecom_new_csv, dtype=str).drop(columns=["Contract"])
    data = tmp_path / "no_contract.csv"
    frame.to_csv(data, index=False)
    output = tmp_path / "out.csv"
    argv = ["--model", str(model), "--data", str(data), "--id", "customerID"]
    code, err = run(cli.score_main, [*argv, "--output", str(output)], capsys)
    assert code == 2
    assert "'Contract'" in one_line(err)
    assert not output.exists()


def test_score_names_the_row_of_a_bad_number(fitted, telecom_new_csv, tmp_path, capsys):
    model, _ = fitted
    frame = pd.read_csv(telecom_new_csv, dtype=str)
    frame.loc[3, "tenure"] = "twelve"
    data = tmp_path / "bad.csv"
    frame.to_csv(data, index=False)
    output = tmp_path / "out.csv"
    argv = ["--model", str(model), "--data", str(data), "--id", "customerID"]
    code, err = run(cli.score_main, [*argv, "--output", str(output)], capsys)
    assert code == 2
    assert one_line(err) == "error: line 5, column 'tenure': 'twelve' is not a number"
    assert not output.exists()


def test_score_refuses_a_file_that_is_not_a_model(telecom_new_csv, tmp_path, capsys):
    fake = tmp_path / "model.kehu"
    fake.write_bytes(b"\x80\x04K\x01.")  # a pickle: never loaded
    argv = ["--model", str(fake), "--data", str(telecom_new_csv), "--id", "customerID"]
    code, err = run(cli.score_main, [*argv, "--output", str(tmp_path / "o.csv")], capsys)
    assert code == 2
    assert "not a Kehu churn model" in one_line(err)


@pytest.mark.parametrize("option", ["--calibration-end", "--horizon-end"])
def test_activity_date_that_does_not_parse(purchases_csv, tmp_path, capsys, option):
    dates = {"--calibration-end": "2024-06-30", "--horizon-end": "2024-09-30"}
    dates[option] = "2024-13-01"
    output = tmp_path / "out.csv"
    argv = ["--transactions", str(purchases_csv), "--output", str(output)]
    argv += [x for pair in dates.items() for x in pair]
    code, err = run(cli.activity_main, argv, capsys)
    assert code == 2
    assert one_line(err) == f"error: {option}: '2024-13-01' is not a date (YYYY-MM-DD)"
    assert not output.exists()


def test_activity_transaction_date_that_does_not_parse(tmp_path, capsys):
    tx = tmp_path / "tx.csv"
    tx.write_text("customer_id,date,amount\nA,2024-01-05,10\nB,2024-02-30,12\n")
    argv = ["--transactions", str(tx), "--output", str(tmp_path / "o.csv")]
    argv += ["--calibration-end", "2024-06-30", "--horizon-end", "2024-09-30"]
    code, err = run(cli.activity_main, argv, capsys)
    assert code == 2
    line = one_line(err)
    assert "line 3" in line and "'date'" in line


def test_activity_unknown_customer_column(purchases_csv, tmp_path, capsys):
    argv = ["--transactions", str(purchases_csv), "--customer-col", "client"]
    argv += ["--output", str(tmp_path / "o.csv")]
    argv += ["--calibration-end", "2024-06-30", "--horizon-end", "2024-09-30"]
    code, err = run(cli.activity_main, argv, capsys)
    assert code == 2
    assert "'client'" in one_line(err)


def test_activity_empty_file(tmp_path, capsys):
    tx = tmp_path / "tx.csv"
    tx.write_text("")
    argv = ["--transactions", str(tx), "--output", str(tmp_path / "o.csv")]
    argv += ["--calibration-end", "2024-06-30", "--horizon-end", "2024-09-30"]
    code, err = run(cli.activity_main, argv, capsys)
    assert code == 2
    assert "empty" in one_line(err)


def test_score_reads_missing_value_markers_as_blanks(fitted, telecom_new_csv, tmp_path, capsys):
    model, _ = fitted
    frame = pd.read_csv(telecom_new_csv, dtype=str, keep_default_na=False)
    frame.loc[3, "tenure"], frame.loc[7, "tenure"] = "NA", "#N/A"
    data = tmp_path / "markers.csv"
    frame.to_csv(data, index=False)
    blanked = frame.copy()
    blanked.loc[[3, 7], "tenure"] = ""
    blank = tmp_path / "blank.csv"
    blanked.to_csv(blank, index=False)
    outputs = []
    for source in (data, blank):
        output = tmp_path / f"{source.stem}.out.csv"
        argv = ["--model", str(model), "--data", str(source), "--id", "customerID"]
        code, err = run(cli.score_main, [*argv, "--output", str(output)], capsys)
        assert code == 0, err
        outputs.append(output.read_text())
    assert outputs[0] == outputs[1]
