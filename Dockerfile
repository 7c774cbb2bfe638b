# Parley on the official Payara Micro image (JDK 17; the tag matches payara.version in pom.xml).
# NOT RUN YET: no Docker engine where this was written (README, "Container").
#
#   mvn -DskipTests package                      # parley-war/target/parley.war, cacerts.p12, uber/postgresql.jar
#   docker build -t parley .
#   docker run -p 8080:8080 -v "$PWD/my.properties:/config/parley.properties:ro" -v parley-data:/opt/payara/data parley
#
# The properties file is Parley's configuration (README, "Configuration reference"); mount it read-only. The default
# H2 database (./data/parley, relative to the working directory /opt/payara) lives in the /opt/payara/data volume; with
# PostgreSQL (parley.datasource.url) nothing is written there.
FROM payara/micro:6.2025.10-jdk17

# Payara's trust store without its expired certificates (built by parley-war): no expired-certificate warnings at start.
COPY --chown=payara:payara parley-war/target/cacerts.p12 /opt/payara/cacerts.p12
COPY --chown=payara:payara parley-war/target/parley.war /opt/payara/deployments/parley.war
COPY --chown=payara:payara parley-war/src/main/payara/post-boot-commands.txt /opt/payara/post-boot-commands.txt
# The PostgreSQL driver on Micro's class path too (it also ships in the WAR): otherwise Payara's JDBC leak check loads
# the WAR's copy in a throwaway deploy class loader and warns at every start that it "forcibly unregistered" it.
COPY --chown=payara:payara parley-war/target/uber/postgresql.jar /opt/payara/lib/postgresql.jar

# The image's /opt/payara/entrypoint.sh runs `exec java ... ${JVM_ARGS} -jar payara-micro.jar "$@"` in /opt/payara
# (heap from MEM_MAX_RAM_PERCENTAGE). Added to the image's own JVM_ARGS: retryPost=false, the JDK's HTTP client must
# not re-send a POST on its own when a connection drops (README); and the trust store above.
ENV JVM_ARGS="${JVM_ARGS} -Dsun.net.http.retryPost=false -Djavax.net.ssl.trustStore=/opt/payara/cacerts.p12"

RUN mkdir -p /opt/payara/data
VOLUME ["/opt/payara/data"]
EXPOSE 8080

# Micro unpacks its runtime into --rootDir. Emptied at every start: a reused one still lists the WAR of the last run,
# and Micro would deploy it twice (a restarted container keeps its file system).
ENTRYPOINT ["tini", "--", "sh", "-c", "rm -rf /opt/payara/runtime && exec /opt/payara/entrypoint.sh \"$@\"", "parley"]
CMD ["--deploy", "/opt/payara/deployments/parley.war", "--contextRoot", "/", \
     "--nocluster", "--nohazelcast", "--maxHttpThreads", "16", \
     "--rootDir", "/opt/payara/runtime", "--addLibs", "/opt/payara/lib/postgresql.jar", \
     "--postbootcommandfile", "/opt/payara/post-boot-commands.txt", \
     "--systemProperties", "/config/parley.properties"]
