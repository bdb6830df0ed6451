#!/usr/bin/env bash
# Makes a private CA and a broker certificate for a TEST deployment (and the test suite):
#   deploy/mosquitto/make-test-certs.sh OUT_DIR [SERVER_NAME [SERVER_IP]]
# writes OUT_DIR/ca.crt ca.key server.crt server.key (and client.crt client.key: a client
# certificate for brokers that also require one). SERVER_NAME defaults to localhost and goes in
# the certificate's subjectAltName, as does SERVER_IP (default 127.0.0.1); clients check it.
# Production: keep ca.key offline, or use your organisation's CA; see docs/deploy.md.
set -euo pipefail
out=${1:?usage: make-test-certs.sh OUT_DIR [SERVER_NAME [SERVER_IP]]}
name=${2:-localhost}
ip=${3:-127.0.0.1}
days=${CERT_DAYS:-825}
mkdir -p "$out"
cd "$out"
umask 077

# CA: EC P-256, self-signed, may sign only end-entity certificates.
openssl ecparam -name prime256v1 -genkey -noout -out ca.key 2>/dev/null
openssl req -x509 -new -key ca.key -sha256 -days "$days" -subj "/O=INDRA test/CN=INDRA test CA" \
  -addext "basicConstraints=critical,CA:TRUE,pathlen:0" \
  -addext "keyUsage=critical,keyCertSign,cRLSign" -out ca.crt

# Broker: EC P-256 key, certificate for SERVER_NAME and SERVER_IP.
openssl ecparam -name prime256v1 -genkey -noout -out server.key 2>/dev/null
openssl req -new -key server.key -subj "/O=INDRA test/CN=$name" -out server.csr
printf 'basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature,keyAgreement\nextendedKeyUsage=serverAuth\nsubjectAltName=DNS:%s,IP:%s\n' "$name" "$ip" > server.ext
openssl x509 -req -in server.csr -CA ca.crt -CAkey ca.key -CAcreateserial -days "$days" -sha256 \
  -extfile server.ext -out server.crt 2>/dev/null

# A client certificate (optional use: require_certificate true in mosquitto.conf).
openssl ecparam -name prime256v1 -genkey -noout -out client.key 2>/dev/null
openssl req -new -key client.key -subj "/O=INDRA test/CN=client" -out client.csr
printf 'basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature,keyAgreement\nextendedKeyUsage=clientAuth\n' > client.ext
openssl x509 -req -in client.csr -CA ca.crt -CAkey ca.key -CAcreateserial -days "$days" -sha256 \
  -extfile client.ext -out client.crt 2>/dev/null

rm -f server.csr client.csr server.ext client.ext ca.srl
# mosquitto drops privileges to its own user: it must be able to read its key.
chmod 644 ca.crt server.crt client.crt
chmod 640 server.key
echo "made: $out/{ca.crt,ca.key,server.crt,server.key,client.crt,client.key} for $name / $ip"
