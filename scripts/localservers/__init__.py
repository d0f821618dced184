"""The code behind scripts/servers (usage: scripts/servers --help).

common      paths and settings, output, failures, locks, process/port/HTTP helpers
server      the Server base class: install, start, wait until ready, stop, kill, status
kafka       Apache Kafka (KRaft)
mongo       SecantusDB
gobinaries  versitygw (S3) and Mailpit (SMTP), built with go
sms         the SMS gateway fake, scripts/sms_sink.py
cli         the command line: main, running a command on servers in parallel
"""
