"""E-mails: invitations, password resets and re-confirmation reminders.

Sent through the SMTP server of the settings; without one, each e-mail is written to the log (so
that a coordinator running the demo sees the link).  Messages are trilingual, Russian, Chinese and
English in one text, because a sender does not know which language the recipient reads.
"""

from __future__ import annotations

import logging
import smtplib
import ssl
from dataclasses import dataclass
from email.message import EmailMessage
from typing import Protocol

from expertbridge.settings import Settings, SmtpSettings

log = logging.getLogger("expertbridge.mail")
TIMEOUT_SECONDS = 20


@dataclass(frozen=True)
class Mail:
    """One e-mail to one person."""

    to: str
    subject: str
    body: str


class Mailer(Protocol):
    """Something that delivers mail."""

    def send(self, mail: Mail) -> None:
        """Deliver ``mail`` (raises OSError or smtplib.SMTPException when it cannot)."""


class LogMailer:
    """Writes e-mails to the log instead of sending them (no SMTP server configured)."""

    def __init__(self) -> None:
        """Keep the last e-mails in memory as well, for whoever runs the demo or a test."""
        self.sent: list[Mail] = []

    def send(self, mail: Mail) -> None:
        """Log ``mail`` in full."""
        self.sent = [*self.sent[-99:], mail]
        log.warning("e-mail (no SMTP server configured) to %s: %s\n%s", mail.to, mail.subject, mail.body)


class SmtpMailer:
    """Sends e-mails through an SMTP server."""

    def __init__(self, smtp: SmtpSettings):
        """Use the server described by ``smtp``."""
        self.smtp = smtp

    def send(self, mail: Mail) -> None:
        """Send ``mail``; one connection per message (mail is rare here)."""
        message = EmailMessage()
        message["From"] = self.smtp.sender
        message["To"] = mail.to
        message["Subject"] = mail.subject
        message.set_content(mail.body)
        context = ssl.create_default_context()
        server: smtplib.SMTP
        if self.smtp.security == "ssl":
            server = smtplib.SMTP_SSL(
                self.smtp.host, self.smtp.port, timeout=TIMEOUT_SECONDS, context=context
            )
        else:
            server = smtplib.SMTP(self.smtp.host, self.smtp.port, timeout=TIMEOUT_SECONDS)
        with server:
            if self.smtp.security == "starttls":
                server.starttls(context=context)
            if self.smtp.user:
                server.login(self.smtp.user, self.smtp.password)
            server.send_message(message)


def mailer_for(settings: Settings) -> Mailer:
    """The mailer the settings ask for."""
    return SmtpMailer(settings.smtp) if settings.smtp is not None else LogMailer()


def deliver(mailer: Mailer, mail: Mail) -> bool:
    """Send ``mail``; a failure is logged, not raised (the page shows the link instead)."""
    try:
        mailer.send(mail)
        return True
    except (OSError, smtplib.SMTPException) as error:
        log.error("could not send e-mail to %s: %s", mail.to, error)
        return False


def invitation_mail(to: str, link: str) -> Mail:
    """The invitation to register."""
    return Mail(
        to,
        "Приглашение · 邀请 · Invitation — expertbridge",
        "Вас пригласили в реестр экспертов Москва–Пекин. Чтобы зарегистрироваться, откройте ссылку "
        "(она действует 14 дней):\n"
        "您被邀请加入莫斯科—北京专家库。请打开以下链接完成注册（14天内有效）：\n"
        "You have been invited to the Moscow–Beijing expert registry. To register, open this link "
        f"(valid for 14 days):\n\n{link}\n",
    )


def reset_mail(to: str, link: str) -> Mail:
    """The password-reset link."""
    return Mail(
        to,
        "Новый пароль · 重置密码 · Password reset — expertbridge",
        "Чтобы задать новый пароль, откройте ссылку (она действует 2 часа и только один раз):\n"
        "请打开以下链接设置新密码（2小时内有效，仅可使用一次）：\n"
        "To choose a new password, open this link (valid for 2 hours, once):\n\n"
        f"{link}\n\n"
        "Если вы не просили об этом, ничего не делайте. · 如果这不是您的请求，请忽略此邮件。 · "
        "If you did not ask for this, do nothing.\n",
    )


def reminder_mail(to: str, link: str) -> Mail:
    """The yearly request to confirm that a profile is current."""
    return Mail(
        to,
        "Подтвердите профиль · 请确认您的资料 · Please confirm your profile — expertbridge",
        "Прошёл год с последнего подтверждения вашего профиля. Проверьте его и нажмите «Подтвердить»; "
        "профиль, не подтверждённый два года, скрывается.\n"
        "您的专家资料已一年未确认。请检查并点击“确认”；两年未确认的资料将被隐藏。\n"
        "Your profile was last confirmed a year ago. Please check it and press Confirm; a profile not "
        f"confirmed for two years is hidden.\n\n{link}\n",
    )
