"""The words of a theory round's page (/admin/rounds/{id}/theory), Chinese first: uploading answer
sheets, the uploads so far, the graded sheets and the item analysis with its method said in
full. Shared words come from web/i18n.py."""

from __future__ import annotations

from collections.abc import Callable

from web.i18n import area_text

TEXT: dict[str, tuple[str, str]] = {
    "theory_page": ("答卷与试题分析", "Answer sheets and item analysis"),
    "theory_upload": ("上传答卷", "Upload answer sheets"),
    "theory_upload_note": (
        "CSV 或 XLSX。宽表：每位考生一行，列为 entry 与各题题号（{}）；"
        "或长表：entry, criterion, value（可有 attempt 列，judge 列须留空）。"
        "整份文件逐行检查，任何一行有误则全部不保存，并列出文件、行、列与有效的写法。空白答案记 0 分。",
        "CSV or XLSX. Wide: one row per contestant, the columns entry and each question ({}); or long: entry, "
        "criterion, value (an attempt column may be there; a judge column must be empty). The whole file is "
        "checked row by row: if any row is wrong nothing is stored, and each problem names the file, row, column "
        "and what would be valid. A blank answer scores 0.",
    ),
    "theory_file": ("答卷文件（.csv / .xlsx）", "Answer sheet file (.csv / .xlsx)"),
    "theory_reason": (
        "替换原因（替换已上传的答卷时必填）",
        "Reason for replacing (needed when the file changes answers already uploaded)",
    ),
    "theory_replace_note": (
        "再次上传即为替换：答案有变化的考生各存一个新版本，旧版本保留；文件中没有的考生保留原答案。每次上传都记入审计日志。",
        "Uploading again replaces: each contestant whose answers change gets a new version and the old one "
        "is kept; contestants the file leaves out keep their answers. Every upload is written to the audit log.",
    ),
    "theory_closed": (
        "本轮次已锁定或已公布，不能再上传答卷。",
        "This round is locked or published: no more answer sheets can be uploaded.",
    ),
    "upload_button": ("上传并评分", "Upload and grade"),
    "uploads": ("上传记录", "Uploads"),
    "no_uploads": ("尚未上传答卷", "No answer sheets uploaded yet"),
    "upload_no": ("次序", "No."),
    "file": ("文件", "File"),
    "changed": ("更新的考生", "Contestants changed"),
    "unchanged": ("未变的考生", "Unchanged"),
    "by": ("上传人", "By"),
    "at": ("时间（UTC）", "Time (UTC)"),
    "item_analysis": ("试题分析", "Item analysis"),
    "item_method": (
        "难度 P = 该题平均得分 ÷ 该题分值（1 分题即答对人数的比例），1.00 表示全部答对。"
        "区分度 D = 高分组的 P − 低分组的 P：按总分排序（总分相同按编号），高分组为前 27%、低分组为后 27% 的考生"
        "（高低分组法，不是点二列相关）。本轮 {} 人，每组 {} 人。D 低于 0.20 的题目标为“建议复核”。",
        "Difficulty P = the mean points earned on the question ÷ its points (for a one-point question, the share "
        "who answered right); 1.00 means everyone was right. Discrimination D = P in the upper group − P in the "
        "lower group: contestants ranked by total (equal totals by entry key), the upper group the top 27%, the "
        "lower group the bottom 27% (upper-lower groups, not a point-biserial correlation). {} contestants this "
        "round, {} in each group. A question with D below 0.20 is marked 'review'.",
    ),
    "question": ("题号", "Question"),
    "title": ("题目", "Title"),
    "qtype": ("题型", "Type"),
    "key_answer": ("标准答案", "Key"),
    "points": ("分值", "Points"),
    "difficulty": ("难度 P", "Difficulty P"),
    "discrimination": ("区分度 D", "Discrimination D"),
    "review": ("建议复核", "review"),
    "qtype_single": ("单选", "single choice"),
    "qtype_multiple": ("多选", "multiple choice"),
    "qtype_true_false": ("判断", "true or false"),
    "qtype_numeric": ("数值", "numeric"),
    "partial_subset": ("部分选对得部分分", "part credit for a right subset"),
    "partial_per_option": ("每选对一项得分", "credit per right option"),
    "graded": ("评分结果", "Graded answer sheets"),
    "graded_note": (
        "每格为考生的答案与该答案所得分数；绿色为满分，橙色为部分得分，红色为 0 分，“—”为空白。"
        "成绩为暂定，以公布为准。",
        "Each cell is the contestant's answer and the points it earned: green full points, orange part, red none; "
        "'—' is blank. Provisional until published.",
    ),
    "no_sheets": ("还没有可评分的答卷。", "No answer sheets to grade yet."),
    "place": ("名次", "Place"),
    "entry": ("编号", "Entry"),
    "name": ("姓名 / 名称", "Name"),
    "score": ("得分", "Score"),
    "cannot_grade": ("已保存的答卷无法评分：", "The stored answer sheets cannot be graded: "),
    "not_on_sheets": (
        "本轮次不用评分表（理论试卷由组织方上传答卷），不设评委组，也不会出现在评委的平板上。",
        "This round is not marked on score sheets (a theory paper's answer sheets are uploaded by the "
        "organiser): it has no panel and never appears on a judge's tablet.",
    ),
    "round_page": ("轮次设置", "Round set-up"),
    "export_note": (
        "试题分析也在成绩导出的 Excel 文件中（每个理论赛项一张工作表）。",
        "The item analysis is also in the Excel export of results (a sheet per theory event).",
    ),
    "export_xlsx": ("导出成绩（Excel）", "Export results (Excel)"),
}


def page_text(lang: str) -> Callable[..., str]:
    return area_text(lang, TEXT)
