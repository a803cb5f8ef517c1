{{/* Chart name, at most 63 characters. */}}
{{- define "bandwidth-operator.name" -}}
{{- .Chart.Name | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
Fully qualified name: the release name when it already contains the chart name (so a release
called "bandwidth-operator" renders the same object names as config/default), else
"<release>-<chart>". Trimmed so that "-agent-metrics" still fits in 63 characters.
*/}}
{{- define "bandwidth-operator.fullname" -}}
{{- if contains .Chart.Name .Release.Name }}
{{- .Release.Name | trunc 48 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 48 | trimSuffix "-" }}
{{- end }}
{{- end }}

{{- define "bandwidth-operator.agentName" -}}
{{- printf "%s-agent" (include "bandwidth-operator.fullname" .) }}
{{- end }}

{{- define "bandwidth-operator.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Labels on every object. */}}
{{- define "bandwidth-operator.labels" -}}
helm.sh/chart: {{ include "bandwidth-operator.chart" . }}
app.kubernetes.io/name: {{ include "bandwidth-operator.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{/* Labels that select the agent pods (immutable once installed). */}}
{{- define "bandwidth-operator.agentSelectorLabels" -}}
app.kubernetes.io/name: {{ include "bandwidth-operator.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/component: agent
{{- end }}

{{- define "bandwidth-operator.image" -}}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) }}
{{- end }}

{{/* Rules the values schema cannot express, each failing with a message that names the values. */}}
{{- define "bandwidth-operator.checkValues" -}}
{{- if and .Values.metrics.enabled (eq (int .Values.metrics.port) (int .Values.health.port)) }}
{{- fail (printf "metrics.port and health.port are both %d: the agent binds each on the node (host network), so they must differ" (int .Values.health.port)) }}
{{- end }}
{{- if and .Values.metrics.serviceMonitor.enabled (not (and .Values.metrics.enabled .Values.metrics.secure)) }}
{{- fail "metrics.serviceMonitor.enabled needs metrics.enabled=true and metrics.secure=true: without secure, /metrics listens on 127.0.0.1 of each node and Prometheus cannot reach it" }}
{{- end }}
{{- $reserved := list "NODE_NAME" "Logging__LogLevel__Default" "Agent__ResyncPeriod" "Agent__HealthPort" "Agent__Metrics__Enabled" "Agent__Metrics__Port" "Agent__Metrics__Secure" }}
{{- range .Values.extraEnv }}
{{- if has .name $reserved }}
{{- fail (printf "extraEnv sets %s, which the chart sets from its values: use the value instead (see the chart README)" .name) }}
{{- end }}
{{- end }}
{{- end }}
