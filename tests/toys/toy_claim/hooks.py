from core.toolkit import hookimpl, roles_of

SOP = {
    "code": "BPV-KPG-04", "number": "BPV/KPG/04", "title": "Prosedur Pengajuan Cuti Pegawai", "revision": "3",
    "effective": "2021-01-04",       # on or after the generic revision it takes over (2020-06-01 in the test)
    "roles": [{"code": "pegawai", "title": "Pegawai"}, {"code": "petugas_kepegawaian", "title": "Petugas Kepegawaian"}],
    "steps": [
        {"no": 1, "activity": "Mengajukan cuti di aplikasi", "roles": ["pegawai"], "time": "15 menit"},
        {"no": 2, "activity": "Menerbitkan surat izin cuti", "roles": ["petugas_kepegawaian"], "time": "1 hari"},
    ],
}


@hookimpl
def balai_roles():
    return roles_of(SOP)


@hookimpl
def balai_sops():
    return [SOP]
