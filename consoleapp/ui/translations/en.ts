<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_GB">
<context>
    <name></name>
    <message numerus="yes">
        <source>%n change(s) waiting to be sent</source>
        <translation>
            <numerusform>%n change waiting to be sent</numerusform>
            <numerusform>%n changes waiting to be sent</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n not applied</source>
        <translation>
            <numerusform>%n not applied</numerusform>
            <numerusform>%n not applied</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n waiting for your approval (New requests)</source>
        <translation>
            <numerusform>%n waiting for your approval (New requests)</numerusform>
            <numerusform>%n waiting for your approval (New requests)</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n day(s) {hours} h</source>
        <translation>
            <numerusform>%n day {hours} h</numerusform>
            <numerusform>%n days {hours} h</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n file(s) are still waiting to be uploaded. If you close this window they are not sent; the customer sees their names but cannot download them.</source>
        <translation>
            <numerusform>%n file is still waiting to be uploaded. If you close this window it is not sent; the customer sees its name but cannot download it.</numerusform>
            <numerusform>%n files are still waiting to be uploaded. If you close this window they are not sent; the customer sees their names but cannot download them.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n booked</source>
        <translation>
            <numerusform>%n booked</numerusform>
            <numerusform>%n booked</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>The old copy is kept as {path}. Your data is being downloaded again, and %n change(s) you had not sent yet will be sent.</source>
        <translation>
            <numerusform>The old copy is kept as {path}. Your data is being downloaded again, and %n change you had not sent yet will be sent.</numerusform>
            <numerusform>The old copy is kept as {path}. Your data is being downloaded again, and %n changes you had not sent yet will be sent.</numerusform>
        </translation>
    </message>
</context>
</TS>
