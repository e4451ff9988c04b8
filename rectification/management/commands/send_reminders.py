from datetime import date

from django.core.management.base import BaseCommand, CommandError

from rectification import reminders


class Command(BaseCommand):
    help = "运行整改提醒：生成当日应发的提醒并在本进程内发送（与 Celery beat 的每日任务相同，可重复运行）。"

    def add_arguments(self, parser):
        parser.add_argument("--date", help="按指定日期运行（YYYY-MM-DD），默认今天（Asia/Shanghai）")

    def handle(self, *args, date=None, **options):
        today = None
        if date:
            try:
                today = _parse(date)
            except ValueError:
                raise CommandError(f"--date {date!r} 不是 YYYY-MM-DD 格式的日期") from None
        result = reminders.sweep(today)
        self.stdout.write(self.style.SUCCESS(f"新生成提醒 {result.written} 条，发送 {result.dispatched} 条。"))


def _parse(value: str):
    return date.fromisoformat(value)
