<#
.SYNOPSIS
  Installs the DiffuGts node as a Windows service.
.DESCRIPTION
  Publishes nothing itself: run `dotnet publish src/DiffuGts.Cli -c Release -r win-x64 -o C:\DiffuGts` first and copy
  appsettings.json, config\ and deploy\models\ into C:\DiffuGts (the content root). The service runs
  `diffugts.exe node run`, which uses the Windows service lifetime when started by the service control manager.
.EXAMPLE
  .\install-windows-service.ps1 -InstallDir C:\DiffuGts -SpoolDir D:\DiffuGtsSpool
#>
param(
    [string]$InstallDir = "C:\DiffuGts",
    [string]$SpoolDir = "C:\ProgramData\DiffuGts\spool",
    [string]$ServiceName = "DiffuGtsNode",
    [int]$Port = 11112
)
$ErrorActionPreference = "Stop"

$exe = Join-Path $InstallDir "diffugts.exe"
if (-not (Test-Path $exe)) { throw "$exe not found: publish the node into $InstallDir first" }

& $exe config validate
if ($LASTEXITCODE -ne 0) { throw "the configuration in $InstallDir is invalid; fix the keys named above" }

New-Item -ItemType Directory -Force -Path $SpoolDir | Out-Null
[Environment]::SetEnvironmentVariable("DIFFUGTS_CONTENT_ROOT", $InstallDir, "Machine")
[Environment]::SetEnvironmentVariable("DIFFUGTS_Storage__Root", $SpoolDir, "Machine")

if (Get-Service -Name $ServiceName -ErrorAction SilentlyContinue) {
    Stop-Service -Name $ServiceName -ErrorAction SilentlyContinue
    sc.exe delete $ServiceName | Out-Null
}
New-Service -Name $ServiceName -BinaryPathName "`"$exe`" node run" -DisplayName "DiffuGts DICOM AI node" `
    -Description "Receives CT/MR over DICOM, segments tumours (zero-shot), sends DICOM SEG back to PACS." -StartupType Automatic
sc.exe failure $ServiceName reset= 86400 actions= restart/5000/restart/5000/restart/60000 | Out-Null

New-NetFirewallRule -DisplayName "DiffuGts DICOM $Port" -Direction Inbound -Protocol TCP -LocalPort $Port -Action Allow `
    -ErrorAction SilentlyContinue | Out-Null
Start-Service -Name $ServiceName
Get-Service -Name $ServiceName
