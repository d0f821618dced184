"""Apache Kafka as a single-node KRaft broker and controller, jars fetched with Maven."""

import base64
import os
import shutil
import socket
import struct
import subprocess
import uuid
from pathlib import Path

from .common import CACHE, HOST, Failure, env_port, need_tool, recv_exact, run_logged
from .server import Server

KAFKA_VERSION = "4.1.1"
LOG4J_VERSION = "2.24.3"
DEPENDENCY_PLUGIN_VERSION = "3.8.1"


class Kafka(Server):
    name = "kafka"
    timeout = 120.0
    what = f"Apache Kafka {KAFKA_VERSION} jars from Maven Central"

    home = CACHE / "kafka"
    libs = home / "libs"
    marker = home / "installed.txt"
    spec = f"kafka_2.13:{KAFKA_VERSION} log4j:{LOG4J_VERSION}"

    def ports(self) -> list[int]:
        return [env_port("KONTO_KAFKA_PORT", 9092), env_port("KONTO_KAFKA_CONTROLLER_PORT", 9093)]

    def installed(self) -> bool:
        try:
            return self.marker.read_text().strip() == self.spec and any(
                self.libs.glob("kafka_2.13-*.jar")
            )
        except OSError:
            return False

    def install(self) -> None:
        mvn = need_tool("mvn", "to fetch the Kafka jars")
        need_tool("java", "to run Kafka")
        self.home.mkdir(parents=True, exist_ok=True)
        (self.home / "pom.xml").write_text(f"""<?xml version="1.0" encoding="UTF-8"?>
<project xmlns="http://maven.apache.org/POM/4.0.0"
         xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
         xsi:schemaLocation="http://maven.apache.org/POM/4.0.0 http://maven.apache.org/xsd/maven-4.0.0.xsd">
  <modelVersion>4.0.0</modelVersion>
  <groupId>konto.local</groupId>
  <artifactId>kafka-server</artifactId>
  <version>1</version>
  <packaging>pom</packaging>
  <dependencies>
    <dependency>
      <groupId>org.apache.kafka</groupId>
      <artifactId>kafka_2.13</artifactId>
      <version>{KAFKA_VERSION}</version>
    </dependency>
    <dependency>
      <groupId>org.apache.logging.log4j</groupId>
      <artifactId>log4j-slf4j-impl</artifactId>
      <version>{LOG4J_VERSION}</version>
    </dependency>
    <dependency>
      <groupId>org.apache.logging.log4j</groupId>
      <artifactId>log4j-core</artifactId>
      <version>{LOG4J_VERSION}</version>
    </dependency>
  </dependencies>
  <build>
    <pluginManagement>
      <plugins>
        <plugin>
          <groupId>org.apache.maven.plugins</groupId>
          <artifactId>maven-dependency-plugin</artifactId>
          <version>{DEPENDENCY_PLUGIN_VERSION}</version>
        </plugin>
      </plugins>
    </pluginManagement>
  </build>
</project>
""")
        tmp = self.home / "libs.tmp"
        shutil.rmtree(tmp, ignore_errors=True)
        run_logged(
            [
                mvn,
                "-q",
                "-B",
                "-f",
                str(self.home / "pom.xml"),
                "dependency:copy-dependencies",
                f"-DoutputDirectory={tmp}",
                "-DincludeScope=runtime",
            ],
            self.install_log,
            cwd=self.home,
            what="mvn dependency:copy-dependencies",
        )
        shutil.rmtree(self.libs, ignore_errors=True)
        tmp.rename(self.libs)
        self.marker.write_text(self.spec + "\n")

    def java(self) -> str:
        home = os.environ.get("JAVA_HOME")
        if home and Path(home, "bin", "java").exists():
            return str(Path(home, "bin", "java"))
        return need_tool("java", "to run Kafka")

    def prepare(self, log) -> None:
        port, cport = self.ports()
        props = self.dir / "server.properties"
        props.write_text(f"""# written by scripts/servers on every start
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@{HOST}:{cport}
listeners=PLAINTEXT://{HOST}:{port},CONTROLLER://{HOST}:{cport}
advertised.listeners=PLAINTEXT://{HOST}:{port}
inter.broker.listener.name=PLAINTEXT
controller.listener.names=CONTROLLER
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
log.dirs={self.data}
num.partitions=3
default.replication.factor=1
min.insync.replicas=1
offsets.topic.replication.factor=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
auto.create.topics.enable=true
delete.topic.enable=true
group.initial.rebalance.delay.ms=0
# After a SIGKILL the restarted broker must wait for its old registration to
# time out; 5 s (default 9 s) keeps `kill` + `start` quick for fault tests.
broker.session.timeout.ms=5000
broker.heartbeat.interval.ms=1000
num.network.threads=3
num.io.threads=8
num.recovery.threads.per.data.dir=1
log.retention.hours=168
log.retention.check.interval.ms=300000
""")
        (self.dir / "log4j2.xml").write_text("""<?xml version="1.0" encoding="UTF-8"?>
<!-- written by scripts/servers: everything to the console, which is the log file -->
<Configuration status="WARN">
  <Appenders>
    <Console name="STDOUT" target="SYSTEM_OUT">
      <PatternLayout pattern="[%d] %p %m (%c)%n"/>
    </Console>
  </Appenders>
  <Loggers>
    <Logger name="kafka.request.logger" level="WARN"/>
    <Logger name="kafka.authorizer.logger" level="WARN"/>
    <Logger name="state.change.logger" level="WARN"/>
    <Logger name="org.apache.kafka.clients" level="WARN"/>
    <Root level="INFO">
      <AppenderRef ref="STDOUT"/>
    </Root>
  </Loggers>
</Configuration>
""")
        if not (self.data / "meta.properties").exists():
            cluster_id = base64.urlsafe_b64encode(uuid.uuid4().bytes).decode().rstrip("=")
            log.write(f"formatting storage in {self.data} (cluster id {cluster_id})\n".encode())
            log.flush()
            rc = subprocess.call(
                [
                    self.java(),
                    f"-Dlog4j2.configurationFile={self.dir / 'log4j2.xml'}",
                    "-cp",
                    f"{self.libs}/*",
                    "kafka.tools.StorageTool",
                    "format",
                    # One token: an id that starts with "-" would otherwise read as an option.
                    f"--cluster-id={cluster_id}",
                    "-c",
                    str(props),
                ],
                cwd=self.dir,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
            if rc != 0:
                raise Failure(f"kafka storage format exited with status {rc}", self.log)

    def command(self) -> list[str]:
        heap = os.environ.get("KONTO_KAFKA_HEAP", "1g")
        return [
            self.java(),
            f"-Xms{heap}",
            f"-Xmx{heap}",
            "-XX:+UseG1GC",
            "-XX:MaxGCPauseMillis=20",
            "-XX:InitiatingHeapOccupancyPercent=35",
            "-XX:+ExplicitGCInvokesConcurrent",
            "-Djava.awt.headless=true",
            "-Dlog4j2.shutdownHookEnabled=false",
            f"-Dlog4j2.configurationFile={self.dir / 'log4j2.xml'}",
            f"-Dkafka.logs.dir={self.dir}",
            "-cp",
            f"{self.libs}/*",
            "kafka.Kafka",
            str(self.dir / "server.properties"),
        ]

    def token(self) -> str:
        return str(self.dir / "server.properties")

    def probe(self) -> bool:
        """A real Metadata (v4) request; ready once the broker lists itself (it is unfenced)."""
        client_id = b"konto-servers"
        corr = 4242
        header = struct.pack(">hhih", 3, 4, corr, len(client_id)) + client_id
        body = header + struct.pack(">ib", -1, 0)  # all topics, no auto-creation
        try:
            with socket.create_connection((HOST, self.ports()[0]), timeout=2) as s:
                s.settimeout(3)
                s.sendall(struct.pack(">i", len(body)) + body)
                size = struct.unpack(">i", recv_exact(s, 4))[0]
                resp = recv_exact(s, size)
        except (OSError, struct.error):
            return False
        if len(resp) < 12:
            return False
        rcorr, _throttle, brokers = struct.unpack(">iii", resp[:12])
        return rcorr == corr and brokers >= 1
