{{/* Labels every object of the chart carries. */}}
{{- define "scanner.labels" -}}
app.kubernetes.io/name: chatgpt-security-scanner
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{/* Selects the pods of every worker: the cluster members. */}}
{{- define "scanner.workerSelector" -}}
app.kubernetes.io/name: chatgpt-security-scanner
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/component: worker
{{- end }}

{{- define "scanner.databaseSelector" -}}
app.kubernetes.io/name: chatgpt-security-scanner
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/component: database
{{- end }}

{{/* The headless Service's DNS name: Hazelcast's Kubernetes discovery resolves it to every member. */}}
{{- define "scanner.headlessDns" -}}
{{ .Values.namePrefix }}-hz.{{ .Release.Namespace }}.svc.cluster.local
{{- end }}

{{/* Refuses worker names that cannot be part of an object name, and duplicates. */}}
{{- define "scanner.checkWorkers" -}}
{{- if not .Values.workers }}{{ fail "values: workers is empty: list at least one worker" }}{{ end }}
{{- $seen := dict }}
{{- range .Values.workers }}
{{- if not (regexMatch "^[a-z0-9]([-a-z0-9]{0,40}[a-z0-9])?$" (toString .name)) }}
{{- fail (printf "values: worker name %q must be a DNS label (lower-case letters, digits, '-')" (toString .name)) }}
{{- end }}
{{- if hasKey $seen .name }}{{ fail (printf "values: worker %q is listed twice" .name) }}{{ end }}
{{- $_ := set $seen .name true }}
{{- end }}
{{- end }}
