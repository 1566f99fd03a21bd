"""Page text in Chinese (first) and English. The language comes from ?lang=zh|en (remembered
in a cookie), else the cookie, else Chinese. Every string a page shows goes through `t`."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

LANGS = ("zh", "en")

MESSAGES: dict[str, tuple[str, str]] = {
    "app": ("技能竞赛评分系统", "Competition scoring"),
    "organiser": ("组织者", "Organiser"),
    "sign_in": ("登录", "Sign in"),
    "sign_out": ("退出", "Sign out"),
    "username": ("用户名", "User name"),
    "password": ("密码", "Password"),
    "wrong_login": ("用户名或密码错误", "Wrong user name or password"),
    "too_many": ("尝试次数过多，请稍后再试", "Too many attempts; wait a few minutes"),
    "competitions": ("竞赛", "Competitions"),
    "no_competitions": ("还没有竞赛。请上传竞赛文件。", "No competition yet. Upload a competition file."),
    "create_competition": ("新建竞赛", "Create a competition"),
    "competition_file": ("竞赛文件（.toml）", "Competition file (.toml)"),
    "rubric_files": ("评分细则文件（.toml，可多选）", "Rubric files (.toml, several allowed)"),
    "create": ("创建", "Create"),
    "from_template": ("从模板新建", "Create from a template"),
    "template": ("模板", "Template"),
    "add_judge": ("添加评委", "Add a judge"),
    "add": ("添加", "Add"),
    "save": ("保存", "Save"),
    "judge_signature": ("评委签名", "Judge's signature"),
    "judge": ("评委", "Judge"),
    "paper_sheets": ("打印纸质评分表", "Print paper score sheets"),
    "points": ("分值", "points"),
    "per_fault": ("每次", "each"),
    "cap": ("最多扣", "at most"),
    "step": ("步长", "step"),
    "veto_scope_event": ("一票否决：本项目为零", "veto: the whole attempt scores 0"),
    "veto_scope_section": ("一票否决：本部分为零", "veto: this section scores 0"),
    "veto_scope_criterion": ("一票否决：相关评分项为零", "veto: its criterion scores 0"),
    "waiting": ("等待发送", "waiting to send"),
    "judge_sign_in": ("评委登录", "Judge sign-in"),
    "competition_key": ("竞赛编号", "Competition key"),
    "judge_key": ("评委编号", "Judge key"),
    "my_assignments": ("我的评分任务", "My assignments"),
    "no_assignments": ("暂无评分任务", "No assignments yet"),
    "progress": ("进度", "Progress"),
    "codes_not_drawn": ("盲评编码尚未抽取", "The blind codes are not drawn yet"),
    "state_sheet_new": ("未开始", "not started"),
    "state_sheet_draft": ("草稿", "draft"),
    "state_sheet_submitted": ("已提交", "submitted"),
    "state_sheet_returned": ("已退回", "returned"),
    "state_sheet_locked": ("已锁定", "locked"),
    "not_marked": ("未评分", "not marked"),
    "done": ("完成", "done"),
    "not_done": ("未完成", "not done"),
    "veto_called": ("判定一票否决", "Call the veto"),
    "veto_confirm": ("确认判定一票否决？", "Call the veto? This zeroes what the rubric says."),
    "note": ("备注", "Note"),
    "sheet_state": ("评分表", "Sheet"),
    "pending": ("待发送", "Waiting to send"),
    "subtotal": ("小计", "Subtotal"),
    "online": ("在线", "online"),
    "offline": ("离线", "offline"),
    "sending": ("发送中…", "sending…"),
    "stale": (
        "评分表已在服务器上更新，已载入最新版本",
        "the sheet changed on the server; the newest version is loaded",
    ),
    "rejected": ("未被接受", "not accepted"),
    "sign_in_again": ("请重新登录后再发送", "sign in again to send"),
    "save_draft": ("保存草稿", "Save draft"),
    "submit": ("提交", "Submit"),
    "confirm_sheet": ("请核对评分", "Check the sheet"),
    "confirm_submit": ("确认提交", "Submit it"),
    "publication": ("成绩发布", "Results"),
    "state_open": ("评分中", "open"),
    "state_locked": ("已锁定", "locked"),
    "state_notice": ("公示中", "public notice"),
    "state_final": ("已最终发布", "final"),
    "new_rubric_version": ("上传新版本", "Upload a new version"),
    "rubric_frozen": (
        "一旦该赛项有评分，评分细则即不能再改。",
        "Once the event has any score sheet, its rubric can no longer change.",
    ),
    "upload": ("上传", "Upload"),
    "edit": ("编辑", "Edit"),
    "add_round": ("添加轮次", "Add a round"),
    "edit_people": ("编辑参赛队与选手", "Edit teams and contestants"),
    "role_team_leader": ("队长", "Team leader"),
    "role_member": ("队员", "Member"),
    "role_reserve": ("替补", "Reserve"),
    "key": ("编号", "Key"),
    "name": ("名称", "Name"),
    "teams": ("参赛队", "Teams"),
    "units": ("参赛单位", "Units"),
    "contestants": ("选手", "Contestants"),
    "judges": ("评委", "Judges"),
    "events": ("赛项", "Events"),
    "event": ("赛项", "Event"),
    "kind": ("类型", "Kind"),
    "scope": ("范围", "Scope"),
    "weight": ("权重", "Weight"),
    "blind": ("盲评", "Blind"),
    "rounds": ("轮次", "Rounds"),
    "round": ("轮次", "Round"),
    "yes": ("是", "yes"),
    "no": ("否", "no"),
    "open": ("打开", "Open"),
    "rubric": ("评分细则", "Rubric"),
    "preview": ("预览", "Preview"),
    "import_roster": ("导入名单（Excel 或 CSV）", "Import a roster (Excel or CSV)"),
    "roster_file": ("名单文件", "Roster file"),
    "check": ("检查", "Check"),
    "roster_preview": ("名单预览", "Roster preview"),
    "roster_ok": ("全部行均有效，可以导入。", "Every row is valid and can be imported."),
    "roster_bad": (
        "名单有错误，未导入任何内容。请改正后重新上传。",
        "The roster has errors; nothing was imported. Correct the file and upload it again.",
    ),
    "import_all": ("全部导入", "Import all"),
    "imported": ("已导入", "Imported"),
    "new_units": ("新单位", "New units"),
    "new_teams": ("新参赛队", "New teams"),
    "row": ("行", "Row"),
    "problem": ("问题", "Problem"),
    "role": ("角色", "Role"),
    "team": ("参赛队", "Team"),
    "unit": ("单位", "Unit"),
    "panel": ("评委组", "Panel"),
    "chief": ("裁判长", "Chief judge"),
    "save_panel": ("保存评委组", "Save the panel"),
    "draw_lots": ("抽签", "Draw lots"),
    "purpose": ("用途", "Purpose"),
    "purpose_order": ("出场顺序", "Order of appearance"),
    "purpose_stations": ("工位", "Stations"),
    "purpose_checkin": ("检录号（第一次抽签）", "Check-in numbers (first draw)"),
    "purpose_codes": ("加密编码（第二次抽签）", "Blind codes (second draw)"),
    "drawn_by": ("抽签人", "Drawn by"),
    "seed": ("随机种子（留空则随机生成）", "Seed (empty: drawn at random)"),
    "seed_column": ("随机种子", "Seed"),
    "stations": ("工位数", "Stations"),
    "prefix": ("编码前缀", "Code prefix"),
    "draw": ("抽签", "Draw"),
    "draws": ("抽签记录", "Draws"),
    "result": ("结果", "Result"),
    "time": ("时间", "Time"),
    "codes": ("加密编码（仅组织者可见）", "Blind codes (organisers only)"),
    "code": ("编码", "Code"),
    "entry": ("参赛对象", "Entry"),
    "access_sheet": ("打印评委登录二维码", "Print judges' sign-in QR codes"),
    "access_note": ("生成新的链接与 PIN，旧的全部失效。", "Makes new links and PINs; all earlier ones stop working."),
    "access_title": ("评委登录凭证", "Judges' sign-in cards"),
    "scan": ("扫码登录，或输入 PIN", "Scan to sign in, or enter the PIN"),
    "print": ("打印", "Print"),
    "back": ("返回", "Back"),
    "max": ("满分", "Max"),
    "official": ("由裁判员录入", "Entered by an official"),
    "errors": ("有错误", "There are problems"),
    "saved": ("已保存", "Saved"),
    "language": ("English", "中文"),
}


def language_of(query_lang: str | None, cookie_lang: str | None) -> str:
    for candidate in (query_lang, cookie_lang):
        if candidate in LANGS:
            return candidate
    return "zh"


def translator(lang: str) -> Callable[[str], str]:
    index = LANGS.index(lang)

    def t(key: str, *args: Any) -> str:
        return MESSAGES[key][index]

    return t


def both(key: str) -> str:
    """Chinese / English, for places that show both (printed sheets)."""
    zh, en = MESSAGES[key]
    return f"{zh} / {en}"
