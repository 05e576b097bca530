"""Words that carry no subject matter in profiles and requests, per language.

Grammatical words are dropped everywhere.  The boilerplate of cooperation requests ("ищем
партнёров по…", "寻求…合作伙伴", "looking for experts in…") is dropped from queries only: those
words appear in most requests, so matching on them would rank by phrasing rather than by subject.
Russian entries are lemmas (the analyser compares lemmas), English entries are Snowball stems.
"""

from __future__ import annotations


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


RUSSIAN = _words(
    """
    а без более бы был быть в весь во вот все всего вы где да для до его ее если есть еще же за
    и из или им их к как кем когда кто ли либо между мы на над наш не него нее нет ни но о об
    один от очень по под при про с со так также такой там то тот тот-то у уже хотя чем что чтобы
    этот это я она он оно они свой который мой ваш себя который-то
    """
)
RUSSIAN_REQUEST = _words(
    """
    ищем искать ищу поиск требоваться нужный нужен нуждаться приглашать предлагать предложение
    партнер партнерство эксперт специалист сотрудничество совместный проект работа заниматься
    область сфера направление вопрос тема опыт иметь год компания организация
    """
)

CHINESE = _words(
    """
    的 了 和 与 及 或 在 是 对 为 以 等 并 将 从 由 于 中 其 之 也 有 就 都 而 被 把 我们 我 你 您 他 她
    它 他们 本 该 这 那 这些 那些 一个 一些 进行 方面 相关 主要 以及 通过
    """
)
CHINESE_REQUEST = _words(
    """
    开展 领域 方向 工作 问题 寻求 寻找 招募 征集 需要 希望 欢迎 邀请
    合作 合作伙伴 伙伴 专家 项目 联合 共同 开展合作 经验
    从事 负责 研究员 教授 博士 长期 多年 公司 单位 机构
    """
)

ENGLISH = _words(
    """
    a an the and or of in on at to for from by with without about into over under as is are was
    were be been being it its this that these those we our you your i my he she they their them
    not no but if then than so such can could will would should may might must do doe did done
    have has had also more most other some any all each both which who whom whose what when where
    how there here very his her him me us himself herself itself themselv ourselv
    """
)
ENGLISH_REQUEST = _words(
    """
    look seek search find need want wish invit partner partnership expert specialist cooper
    collabor joint project work area experi year compani welcom
    """
)

STOP_WORDS = {"ru": RUSSIAN, "zh": CHINESE, "en": ENGLISH}
# Dropped from queries only: in a profile or a concept's name they still carry meaning ("joint
# programmes", «совместные проекты»), in a request they are its phrasing.
REQUEST_WORDS = RUSSIAN_REQUEST | CHINESE_REQUEST | ENGLISH_REQUEST
